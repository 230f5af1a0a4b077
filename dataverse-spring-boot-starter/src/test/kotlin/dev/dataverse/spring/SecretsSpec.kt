package dev.dataverse.spring

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpointWebExtension
import org.springframework.boot.actuate.endpoint.SanitizingFunction
import org.springframework.boot.actuate.endpoint.SecurityContext
import org.springframework.boot.actuate.endpoint.Show
import org.springframework.boot.actuate.env.EnvironmentEndpoint
import org.springframework.boot.actuate.env.EnvironmentEndpointWebExtension
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.diagnostics.FailureAnalyzer
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.ConfigurableApplicationContext
import org.springframework.core.env.MapPropertySource
import org.springframework.core.io.support.SpringFactoriesLoader
import java.security.Principal

/**
 * The starter never shows a secret: not in Spring Boot's startup failure report when a secret property is invalid, and
 * not in the actuator's env and configprops endpoints, whatever their show-values setting (ALWAYS and WHEN_AUTHORIZED
 * show every other value in clear).
 */
class SecretsSpec : FunSpec({
    val runner = ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataverseAutoConfiguration::class.java))
    val token = "eyJhbGciOiJSUzI1NiJ9-token-VALUE-7f3a9c"
    val clientSecret = "Q~sEcReT-client-VALUE-2b8d41e6"
    val pfxPassword = "pfx-PASSWORD-VALUE-93c1"

    /** What Spring Boot shows of a failed startup: every cause's message, and the failure analysis it prints. */
    fun report(runner: ApplicationContextRunner): String {
        var text = ""
        runner.run { context ->
            val failure = context.startupFailure!!
            val out = StringBuilder()
            var error: Throwable? = failure
            while (error != null) {
                out.append(error.toString()).append('\n')
                error = error.cause
            }
            // Loaded as SpringApplication loads them; analyzers that need an application's arguments are left out.
            val analyzers = SpringFactoriesLoader.forDefaultResourceLocation(javaClass.classLoader)
                .load(FailureAnalyzer::class.java, null, SpringFactoriesLoader.FailureHandler.handleMessage { _, _ -> })
            for (analyzer in analyzers) {
                analyzer.analyze(failure)?.let { out.append(it.description).append('\n').append(it.action).append('\n') }
            }
            text = out.toString()
        }
        return text
    }

    context("a secret property that fails validation is reported by name, never by value") {
        test("the token") {
            val text = report(runner.withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=$token with a space"))
            text shouldContain "dataverse.token"
            text shouldContain "'token' cannot contain control characters or whitespace"
            text shouldNotContain "token-VALUE"
        }

        test("a client secret, and a certificate password") {
            val text = report(
                runner.withPropertyValues(
                    "dataverse.environment-url=https://contoso.crm.dynamics.com",
                    "dataverse.credential.client-secret=Q~sEcReT\u0007client-VALUE-2b8d41e6",
                    "dataverse.credential.certificate-password=$pfxPassword",
                ),
            )
            text shouldContain "dataverse.credential.clientSecret"
            text shouldContain "dataverse.credential.certificatePassword"
            text shouldNotContain "client-VALUE"
            text shouldNotContain "PASSWORD-VALUE"
        }

        test("a token and credential properties together") {
            val text = report(
                runner.withPropertyValues(
                    "dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=$token",
                    "dataverse.credential.tenant-id=contoso.onmicrosoft.com",
                ),
            )
            text shouldContain "set either 'dataverse.token' or 'dataverse.credential.*' properties, not both"
            text shouldNotContain "token-VALUE"
        }

        test("a non-secret property is still reported with its value, as Spring Boot does") {
            report(runner.withPropertyValues("dataverse.environment-url=ftp://contoso", "dataverse.token=t")) shouldContain "ftp://contoso"
        }
    }

    context("the actuator masks every secret, even when it shows values") {
        val configured = runner.withPropertyValues(
            "dataverse.environment-url=https://contoso.crm.dynamics.com",
            "dataverse.credential.tenant-id=contoso.onmicrosoft.com",
            "dataverse.credential.client-id=11111111-2222-3333-4444-555555555555",
            "dataverse.credential.client-secret=$clientSecret",
        ).withInitializer { context ->
            // As an environment variable would spell it, and another property holding the secret's value.
            context.environment.propertySources.addFirst(
                MapPropertySource("environment-like", mapOf("DATAVERSE_CREDENTIAL_CLIENTSECRET" to clientSecret, "VAULT_SECRET" to clientSecret, "OTHER" to "plain")),
            )
        }
        val authorized = object : SecurityContext {
            override fun getPrincipal(): Principal = Principal { "operator" }
            override fun isUserInRole(role: String): Boolean = true
        }

        fun functions(context: ConfigurableApplicationContext) = context.getBeanProvider(SanitizingFunction::class.java).orderedStream().toList()

        fun configProps(descriptor: ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesDescriptor): Map<String, Any?> =
            descriptor.contexts.values.flatMap { it.beans.values }.single { it.prefix == "dataverse" }.properties

        test("/actuator/env with show-values ALWAYS and WHEN_AUTHORIZED") {
            configured.run { context ->
                val endpoint = EnvironmentEndpoint(context.environment, functions(context), Show.ALWAYS)
                for (key in listOf("dataverse.credential.client-secret", "DATAVERSE_CREDENTIAL_CLIENTSECRET", "VAULT_SECRET")) {
                    endpoint.environmentEntry(key).propertySources.mapNotNull { it.property?.value }.toSet() shouldBe setOf("******")
                }
                endpoint.environmentEntry("dataverse.credential.tenant-id").propertySources.mapNotNull { it.property?.value } shouldBe
                    listOf("contoso.onmicrosoft.com")
                endpoint.environmentEntry("OTHER").propertySources.mapNotNull { it.property?.value } shouldBe listOf("plain")

                val web = EnvironmentEndpointWebExtension(EnvironmentEndpoint(context.environment, functions(context), Show.WHEN_AUTHORIZED), Show.WHEN_AUTHORIZED, emptySet())
                web.environmentEntry(authorized, "dataverse.credential.client-secret").body!!.propertySources.mapNotNull { it.property?.value }
                    .toSet() shouldBe setOf("******")
                web.environmentEntry(authorized, "dataverse.environment-url").body!!.propertySources.mapNotNull { it.property?.value } shouldBe
                    listOf("https://contoso.crm.dynamics.com")
                endpoint.environment(null).toString() shouldNotContain "client-VALUE"
            }
        }

        test("/actuator/configprops with show-values ALWAYS and WHEN_AUTHORIZED, and the token too") {
            for (runner in listOf(configured, runner.withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=$token"))) {
                runner.run { context ->
                    val endpoint = ConfigurationPropertiesReportEndpoint(functions(context), Show.ALWAYS).apply { setApplicationContext(context) }
                    val properties = configProps(endpoint.configurationProperties())
                    properties["environmentUrl"] shouldBe "https://contoso.crm.dynamics.com"
                    properties.toString() shouldNotContain "VALUE"
                    val web = ConfigurationPropertiesReportEndpointWebExtension(
                        ConfigurationPropertiesReportEndpoint(functions(context), Show.WHEN_AUTHORIZED).apply { setApplicationContext(context) },
                        Show.WHEN_AUTHORIZED, emptySet(),
                    )
                    val shown = configProps(web.configurationProperties(authorized))
                    shown["environmentUrl"] shouldBe "https://contoso.crm.dynamics.com"
                    shown.toString() shouldNotContain "VALUE"
                }
            }
            runner.withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=$token").run { context ->
                configProps(ConfigurationPropertiesReportEndpoint(functions(context), Show.ALWAYS).apply { setApplicationContext(context) }.configurationProperties())["token"] shouldBe
                    "******"
            }
        }
    }
})
