package dev.dataverse.spring

import com.azure.identity.ClientCertificateCredential
import com.azure.identity.ClientSecretCredential
import com.azure.identity.DefaultAzureCredential
import com.azure.identity.DefaultAzureCredentialBuilder
import com.azure.identity.ManagedIdentityCredential
import dev.dataverse.DataverseClient
import dev.dataverse.spring.internal.CredentialSettings
import dev.dataverse.spring.internal.Credentials
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import org.springframework.beans.factory.getBean
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.diagnostics.FailureAnalyzer
import org.springframework.boot.test.context.FilteredClassLoader
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.core.io.support.SpringFactoriesLoader
import java.nio.file.Files

/**
 * `dataverse.credential.*`: each set of properties becomes the azure-identity credential it describes, is checked at
 * startup with messages that name properties (never a secret's value), and fails startup without azure-identity.
 * Credential kinds as Learn's azure-identity reference describes them: ClientSecretCredential (tenant, client id,
 * secret), ClientCertificateCredential (tenant, client id, PEM or PFX certificate with its password),
 * ManagedIdentityCredential (system-assigned, or user-assigned by client id), DefaultAzureCredential (tenant id).
 */
class CredentialPropertiesSpec : FunSpec({
    val tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    val app = "0e6d3b2a-6f1c-4a7d-9b8e-1c2d3e4f5a6b"
    val secret = "Q~client-SECRET-value-42"
    val runner = ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataverseAutoConfiguration::class.java))
        .withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com")
    val pem = Files.createTempFile("dataverse-test", ".pem").toFile().apply { writeText("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"); deleteOnExit() }
    val pfx = Files.createTempFile("dataverse-test", ".pfx").toFile().apply { writeBytes(byteArrayOf(0x30, 0x00)); deleteOnExit() }

    fun failure(runner: ApplicationContextRunner): String {
        var text = ""
        runner.run { context ->
            val failure = context.startupFailure.shouldNotBeNull()
            val out = StringBuilder()
            var error: Throwable? = failure
            while (error != null) {
                out.append(error.message).append('\n')
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

    fun credential(vararg properties: String): Any {
        var built: Any? = null
        runner.withPropertyValues(*properties).run { context ->
            context.startupFailure shouldBe null
            context.getBean<DataverseClient>()
            val settings = context.getBean<DataverseProperties>().credential
            built = Credentials.fromProperties(CredentialSettings.kind(settings)!!, settings)
        }
        return built!!
    }

    test("each kind of credential properties starts the application with the matching azure-identity credential") {
        credential("dataverse.credential.tenant-id=$tenant", "dataverse.credential.client-id=$app", "dataverse.credential.client-secret=$secret")
            .shouldBeInstanceOf<ClientSecretCredential>()
        credential("dataverse.credential.tenant-id=$tenant", "dataverse.credential.client-id=$app", "dataverse.credential.certificate-path=${pem.path}")
            .shouldBeInstanceOf<ClientCertificateCredential>()
        credential(
            "dataverse.credential.tenant-id=contoso.onmicrosoft.com", "dataverse.credential.client-id=$app",
            "dataverse.credential.certificate-path=${pfx.path}", "dataverse.credential.certificate-password=pfx-pass",
            "dataverse.credential.authority-host=https://login.microsoftonline.us",
        ).shouldBeInstanceOf<ClientCertificateCredential>()
        credential("dataverse.credential.managed-identity-client-id=$app").shouldBeInstanceOf<ManagedIdentityCredential>()
        credential("dataverse.credential.managed-identity-enabled=true").shouldBeInstanceOf<ManagedIdentityCredential>()
        credential("dataverse.credential.tenant-id=$tenant").shouldBeInstanceOf<DefaultAzureCredential>()
    }

    test("the kind is what the properties describe") {
        fun kind(configure: DataverseProperties.Credential.() -> Unit) = CredentialSettings.kind(DataverseProperties.Credential().apply(configure))
        kind { } shouldBe null
        kind { tenantId = tenant; clientId = app; clientSecret = secret } shouldBe CredentialSettings.Kind.CLIENT_SECRET
        kind { tenantId = tenant; clientId = app; certificatePath = pem.path } shouldBe CredentialSettings.Kind.CERTIFICATE
        kind { managedIdentityEnabled = true } shouldBe CredentialSettings.Kind.MANAGED_IDENTITY
        kind { tenantId = tenant } shouldBe CredentialSettings.Kind.DEFAULT_IN_TENANT
    }

    test("every inconsistent or malformed set fails startup naming the property and the rule, never a secret") {
        val cases = listOf(
            listOf("client-secret=$secret") to listOf("credential.tenantId", "credential.clientId", "is required with a client secret"),
            listOf("tenant-id=$tenant", "client-id=not-a-guid", "client-secret=$secret") to listOf("must be an application (client) id, a GUID"),
            listOf("tenant-id=contoso/evil", "client-id=$app", "client-secret=$secret") to listOf("must be a tenant id (a GUID) or a domain"),
            listOf("tenant-id=$tenant", "client-id=$app", "client-secret=$secret", "certificate-path=${pem.path}") to
                listOf("set either 'dataverse.credential.client-secret' or 'dataverse.credential.certificate-path', not both"),
            listOf("tenant-id=$tenant", "client-id=$app", "certificate-path=/nonexistent/cert.pem") to listOf("names no file"),
            listOf("tenant-id=$tenant", "client-id=$app", "certificate-path=${pem.path}.txt") to listOf("must name a .pem, .pfx or .p12 file"),
            listOf("tenant-id=$tenant", "client-id=$app", "certificate-path=${pem.path}", "certificate-password=$secret") to
                listOf("applies to PFX certificates"),
            listOf("certificate-password=$secret") to listOf("is the password of a PFX certificate"),
            listOf("client-id=$app") to listOf("for a user-assigned managed identity set 'dataverse.credential.managed-identity-client-id'"),
            listOf("managed-identity-client-id=nope") to listOf("must be a managed identity's client id, a GUID"),
            listOf("managed-identity-enabled=true", "tenant-id=$tenant", "client-id=$app", "client-secret=$secret") to
                listOf("a managed identity needs no client secret or certificate"),
            listOf("tenant-id=$tenant", "authority-host=http://login.example") to listOf("must be an https URL with a host and nothing else"),
            listOf("authority-host=https://login.microsoftonline.us") to listOf("is used with"),
            listOf("managed-identity-enabled=true", "authority-host=https://login.microsoftonline.us") to listOf("does not apply to a managed identity"),
        )
        for ((properties, expected) in cases) {
            val text = failure(runner.withPropertyValues(*properties.map { "dataverse.credential.$it" }.toTypedArray()))
            for (message in expected) text shouldContain message
            text shouldNotContain "SECRET-value"
        }
    }

    test("without azure-identity, credential properties fail startup naming the artifact to add, instead of another credential") {
        val text = failure(
            runner.withClassLoader(FilteredClassLoader(DefaultAzureCredentialBuilder::class.java))
                .withPropertyValues("dataverse.credential.tenant-id=$tenant", "dataverse.credential.client-id=$app", "dataverse.credential.client-secret=$secret"),
        )
        text shouldContain "com.azure:azure-identity"
        text shouldContain "<artifactId>azure-identity</artifactId>"
        text shouldContain "a client secret (ClientSecretCredential)"
        text shouldNotContain "SECRET-value"
    }

    test("the log line naming the credential shows identifiers, never the secret") {
        val settings = DataverseProperties.Credential().apply { tenantId = tenant; clientId = app; clientSecret = secret }
        val line = Credentials.describe(CredentialSettings.Kind.CLIENT_SECRET, settings)
        line shouldContain app
        line shouldContain tenant
        line shouldNotContain "SECRET"
    }
})
