package dev.dataverse.spring

import com.azure.core.credential.AccessToken
import com.azure.core.credential.TokenCredential
import com.azure.identity.DefaultAzureCredentialBuilder
import dev.dataverse.ClientClosedException
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpEngine
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.springframework.beans.factory.getBean
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.diagnostics.FailureAnalyzer
import org.springframework.core.io.support.SpringFactoriesLoader
import org.springframework.boot.health.contributor.HealthIndicator
import org.springframework.boot.health.contributor.Status
import org.springframework.boot.test.context.FilteredClassLoader
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import reactor.core.publisher.Mono
import java.time.OffsetDateTime

/** Every condition of the auto-configuration, and the properties' validation, with ApplicationContextRunner. */
class DataverseAutoConfigurationSpec : FunSpec({
    val runner = ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataverseAutoConfiguration::class.java))
    val emulated = runner.withPropertyValues("dataverse.emulator.enabled=true")

    fun failure(runner: ApplicationContextRunner): String {
        var message: String? = null
        runner.run { context ->
            var error: Throwable? = context.startupFailure
            val messages = StringBuilder()
            while (error != null) {
                messages.append(error.message).append('\n')
                error = error.cause
            }
            message = messages.toString()
        }
        return message!!
    }

    test("with the emulator enabled: a Kotlin, a blocking and an async client, all one client, talking to the emulator") {
        emulated.run { context ->
            val core = context.getBean<DataverseClient>()
            val blocking = context.getBean<DataverseBlockingClient>()
            val async = context.getBean<DataverseAsyncClient>()
            val emulator = context.getBean<DataverseEmulator>()
            core.environmentUrl shouldBe emulator.baseUrl
            blocking.async() shouldBeSameInstanceAs async
            val id = blocking.records.create("account", mapOf("name" to "From Spring"))
            runBlocking { core.records.get("account", id).getString("name") } shouldBe "From Spring"
            async.records.get("account", id).join().getString("name") shouldBe "From Spring"
        }
    }

    test("dataverse.emulator.schema seeds the embedded emulator from a schema snapshot; a bad one fails the startup naming it") {
        emulated.withPropertyValues("dataverse.emulator.schema=classpath:dataverse-schema.json").run { context ->
            val core = context.getBean<DataverseClient>()
            runBlocking { core.tables.get("new_widget").entitySetName } shouldBe "new_widgets"
            val id = context.getBean<DataverseBlockingClient>().records.create("new_widget", mapOf("new_name" to "W"))
            runBlocking { core.records.get("new_widget", id).getString("new_name") } shouldBe "W"
        }
        val bad = java.nio.file.Files.createTempFile("bad-schema", ".json")
        java.nio.file.Files.writeString(bad, "{\"formatVersion\": 1, \"tables\": 3, \"customApis\": []}")
        val message = failure(emulated.withPropertyValues("dataverse.emulator.schema=$bad"))
        message shouldContain bad.toString()
        message shouldContain "tables"
        failure(emulated.withPropertyValues("dataverse.emulator.schema=classpath:nothing-here.json")) shouldContain "nothing-here.json"
    }

    test("properties reach the client, and the context's close closes it") {
        var client: DataverseClient? = null
        emulated.withPropertyValues("dataverse.engine=cio", "dataverse.retry.max-attempts=2", "dataverse.request-timeout=7s").run { context ->
            client = context.getBean<DataverseClient>()
            context.getBean<DataverseProperties>().engine shouldBe HttpEngine.CIO
            context.getBean<DataverseProperties>().retry.maxAttempts shouldBe 2
            runBlocking { client!!.whoAmI() }
        }
        client!!.isClosed shouldBe true
    }

    test("an application's own client replaces the starter's, and the Java clients wrap it") {
        DataverseEmulator.start().use { emulator ->
            val own = DataverseClient { environmentUrl(emulator.baseUrl); token("own") }
            emulated.withBean("myClient", DataverseClient::class.java, { own }).run { context ->
                context.getBeansOfType(DataverseClient::class.java).keys shouldBe setOf("myClient")
                context.getBean<DataverseBlockingClient>().whoAmI().userId shouldNotBe null
            }
            own.close()
        }
    }

    test("a missing environment URL fails startup naming the property") {
        failure(runner.withPropertyValues("dataverse.token=t")) shouldContain "'dataverse.environment-url' is required"
    }

    test("each invalid property fails startup, named with the builder's reason") {
        val cases = mapOf(
            "dataverse.environment-url=ftp://contoso" to "environmentUrl",
            "dataverse.max-concurrent-requests=0" to "maxConcurrentRequests",
            "dataverse.max-connections=5000" to "maxConnections",
            "dataverse.request-timeout=0s" to "requestTimeout",
            "dataverse.api-version=9" to "apiVersion",
            "dataverse.retry.max-attempts=0" to "retry",
            "dataverse.application-id=has space" to "applicationId",
            "dataverse.emulator.port=70000" to "emulator.port",
        )
        for ((property, field) in cases) {
            val message = failure(runner.withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=t", property))
            message shouldContain "Field error in object 'dataverse' on field '$field'"
        }
    }

    test("a value of the wrong type fails startup naming the property") {
        failure(emulated.withPropertyValues("dataverse.request-timeout=soon")) shouldContain "dataverse.request-timeout"
        failure(emulated.withPropertyValues("dataverse.engine=netty")) shouldContain "dataverse.engine"
    }

    context("credentials") {
        val emulator = DataverseEmulator.start(EmulatorOptions(requiredToken = "the-right-token"))
        afterContainer { emulator.close() }
        val direct = runner.withPropertyValues("dataverse.environment-url=${emulator.baseUrl}")
        val credential = TokenCredential { Mono.just(AccessToken("the-right-token", OffsetDateTime.now().plusHours(1))) }

        test("a TokenCredential bean is used, and wins over the token property") {
            direct.withPropertyValues("dataverse.token=wrong").withBean(TokenCredential::class.java, { credential }).run { context ->
                context.getBean<DataverseBlockingClient>().whoAmI().userId shouldNotBe null
            }
        }

        test("without a credential bean, the token property") {
            direct.withPropertyValues("dataverse.token=the-right-token").run { context ->
                context.getBean<DataverseBlockingClient>().whoAmI().userId shouldNotBe null
            }
        }

        test("without either, DefaultAzureCredential when azure-identity is present, else startup fails saying what to add") {
            direct.run { context -> context.startupFailure shouldBe null }
            failure(direct.withClassLoader(FilteredClassLoader(DefaultAzureCredentialBuilder::class.java))) shouldContain
                "No Dataverse credentials"
            failure(direct.withClassLoader(FilteredClassLoader(TokenCredential::class.java, DefaultAzureCredentialBuilder::class.java))) shouldContain
                "No Dataverse credentials"
        }
    }

    context("telemetry") {
        test("a MeterRegistry bean gets the client's meters; without one, or switched off, there is no binding") {
            val registry = SimpleMeterRegistry()
            emulated.withBean(MeterRegistry::class.java, { registry }).run { context ->
                context.getBean<DataverseBlockingClient>().whoAmI()
                context.containsBean("dataverseMicrometerInstrumentation") shouldBe true
            }
            registry.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").timer().count() shouldBe 1
            emulated.run { context -> context.containsBean("dataverseMicrometerInstrumentation") shouldBe false }
            emulated.withPropertyValues("dataverse.metrics.enabled=false").withBean(MeterRegistry::class.java, { SimpleMeterRegistry() })
                .run { context -> context.containsBean("dataverseMicrometerInstrumentation") shouldBe false }
            emulated.withClassLoader(FilteredClassLoader(MeterRegistry::class.java))
                .run { context -> context.containsBean("dataverseMicrometerInstrumentation") shouldBe false }
        }

        class Otel : AutoCloseable {
            val spans: InMemorySpanExporter = InMemorySpanExporter.create()
            val metrics: InMemoryMetricReader = InMemoryMetricReader.create()
            val sdk: OpenTelemetrySdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build()

            // A view without close(): the context would shut the SDK down (and empty the exporter) when it closes.
            val view = object : OpenTelemetry {
                override fun getTracerProvider() = sdk.tracerProvider
                override fun getMeterProvider() = sdk.meterProvider
                override fun getPropagators() = sdk.propagators
            }

            fun dataverseMetrics() = metrics.collectAllMetrics().map { it.name }.filter { it.startsWith("dataverse.") || it.startsWith("http.") }
            override fun close() = sdk.close()
        }

        test("an OpenTelemetry bean gets spans and metrics; with a MeterRegistry too, spans only") {
            Otel().use { otel ->
                emulated.withBean(OpenTelemetry::class.java, { otel.view }).run { context -> context.getBean<DataverseBlockingClient>().whoAmI() }
                otel.spans.finishedSpanItems.count { it.name == "whoAmI" } shouldBe 1
                otel.dataverseMetrics() shouldContain "http.client.request.duration"
            }
            Otel().use { otel ->
                emulated.withBean(OpenTelemetry::class.java, { otel.view }).withBean(MeterRegistry::class.java, { SimpleMeterRegistry() })
                    .run { context -> context.getBean<DataverseBlockingClient>().whoAmI() }
                otel.spans.finishedSpanItems.count { it.name == "whoAmI" } shouldBe 1
                otel.dataverseMetrics().shouldBeEmpty()
            }
            Otel().use { otel ->
                emulated.withPropertyValues("dataverse.tracing.enabled=false").withBean(OpenTelemetry::class.java, { otel.view })
                    .run { context -> context.containsBean("dataverseOpenTelemetryInstrumentation") shouldBe false }
            }
        }

        test("customizers and instrumentation beans of the application are applied") {
            var customized = false
            val seen = mutableListOf<String>()
            val instrumentation = DataverseInstrumentation {
                object : dev.dataverse.ClientObserver {
                    override fun operationStarted(operation: dev.dataverse.OperationInfo) = object : dev.dataverse.OperationObserver {
                        override fun attemptStarted(attempt: dev.dataverse.AttemptInfo) = dev.dataverse.AttemptObserver { _, _ -> }
                        override fun ended(error: Throwable?) { seen += operation.name }
                    }
                }
            }
            emulated.withBean(DataverseClientBuilderCustomizer::class.java, { DataverseClientBuilderCustomizer { customized = true } })
                .withBean(DataverseInstrumentation::class.java, { instrumentation })
                .run { context -> context.getBean<DataverseBlockingClient>().whoAmI() }
            customized shouldBe true
            seen shouldBe listOf("whoAmI")
        }
    }

    context("health") {
        test("UP with the caller's ids; cached, so it stays UP for its time to live after the service went away") {
            DataverseEmulator.start().use { emulator ->
                runner.withPropertyValues("dataverse.environment-url=${emulator.baseUrl}", "dataverse.token=t", "dataverse.health.cache-ttl=1h")
                    .run { context ->
                        val indicator = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java)
                        val health = indicator.health()!!
                        health.status shouldBe Status.UP
                        health.details["userId"] shouldNotBe null
                        emulator.close()
                        indicator.health()!! shouldBeSameInstanceAs health
                    }
            }
        }

        test("DOWN with the error's type when the service cannot be reached, and when it does not answer in time") {
            val closedPort = DataverseEmulator.start().let { it.close(); it.baseUrl }
            runner.withPropertyValues("dataverse.environment-url=$closedPort", "dataverse.token=t", "dataverse.retry.max-attempts=1").run { context ->
                val health = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java).health()!!
                health.status shouldBe Status.DOWN
                health.details["error"] shouldBe dev.dataverse.ConnectionFailedException::class.java.name
            }
            DataverseEmulator.start(EmulatorOptions(faults = listOf(FaultRule(FaultKind.LATENCY, latencyMillis = 3000)))).use { slow ->
                runner.withPropertyValues("dataverse.environment-url=${slow.baseUrl}", "dataverse.token=t", "dataverse.health.timeout=100ms")
                    .run { context ->
                        val health = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java).health()!!
                        health.status shouldBe Status.DOWN
                        health.details["error"].toString() shouldContain "did not answer"
                    }
            }
        }

        test("a JVM Error in the check is DOWN with its class and message, not an exception escaping to the endpoint") {
            DataverseEmulator.start().use { emulator ->
                // What an application with too old a kotlinx-coroutines gets from the client's blocking calls.
                val linkage = NoSuchMethodError("'kotlinx.coroutines.Job kotlinx.coroutines.BuildersKt.runBlockingK\$default()'")
                runner.withPropertyValues("dataverse.environment-url=${emulator.baseUrl}", "dataverse.token=dev-token-0001", "dataverse.retry.max-attempts=1")
                    .withBean(DataverseClientBuilderCustomizer::class.java, { DataverseClientBuilderCustomizer { it.addPolicy { throw linkage } } })
                    .run { context ->
                        val health = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java).health()!!
                        health.status shouldBe Status.DOWN
                        health.details["error"] shouldBe "java.lang.NoSuchMethodError"
                        health.details["message"].toString() shouldContain "BuildersKt.runBlockingK\$default"
                        health.details["environment"] shouldBe emulator.baseUrl
                    }
            }
        }

        test("the message of a failure never carries a token: the configured one, a bearer credential or a JWT") {
            DataverseEmulator.start().use { emulator ->
                val token = "configured-token-4f9a1c"
                val jwt = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwcyJ9.c2lnbmF0dXJl"
                val error = AssertionError("sent $token with Authorization: Bearer opaque-credential-77 and $jwt")
                runner.withPropertyValues("dataverse.environment-url=${emulator.baseUrl}", "dataverse.token=$token")
                    .withBean(DataverseClientBuilderCustomizer::class.java, { DataverseClientBuilderCustomizer { it.addPolicy { throw error } } })
                    .run { context ->
                        val health = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java).health()!!
                        health.status shouldBe Status.DOWN
                        health.details["error"] shouldBe "java.lang.AssertionError"
                        val message = health.details["message"].toString()
                        message shouldContain "sent [REDACTED] with Authorization: Bearer [REDACTED] and [REDACTED]"
                        for (secret in listOf(token, "opaque-credential-77", jwt, "eyJ")) (secret in message) shouldBe false
                        (token in health.details.toString()) shouldBe false
                    }
                // A token too short to cut out of the text withholds the whole message.
                runner.withPropertyValues("dataverse.environment-url=${emulator.baseUrl}", "dataverse.token=abc")
                    .withBean(DataverseClientBuilderCustomizer::class.java, { DataverseClientBuilderCustomizer { it.addPolicy { throw StackOverflowError("at abc") } } })
                    .run { context ->
                        val health = context.getBean("dataverseHealthIndicator", HealthIndicator::class.java).health()!!
                        health.details["error"] shouldBe "java.lang.StackOverflowError"
                        health.details["message"].toString() shouldNotContain "abc"
                    }
            }
        }

        test("no indicator when switched off or without Spring Boot's health module") {
            emulated.withPropertyValues("management.health.dataverse.enabled=false")
                .run { context -> context.containsBean("dataverseHealthIndicator") shouldBe false }
            emulated.withClassLoader(FilteredClassLoader(HealthIndicator::class.java))
                .run { context -> context.containsBean("dataverseHealthIndicator") shouldBe false }
        }
    }

    context("shutdown") {
        test("a call in flight when the context closes finishes; one still running after the shutdown timeout fails") {
            for ((timeout, succeeds) in listOf("30s" to true, "50ms" to false)) {
                DataverseEmulator.start(EmulatorOptions(faults = listOf(FaultRule(FaultKind.LATENCY, latencyMillis = 1500)))).use { slow ->
                    val result = runBlocking(Dispatchers.Default) {
                        var call: kotlinx.coroutines.Deferred<Result<*>>? = null
                        runner.withPropertyValues("dataverse.environment-url=${slow.baseUrl}", "dataverse.token=t", "dataverse.shutdown-timeout=$timeout")
                            .run { context ->
                                val client = context.getBean<DataverseClient>()
                                call = async { runCatching { client.whoAmI() } }
                                val shutdown = context.getBean<DataverseClientShutdown>()
                                runBlocking { while (shutdown.callsInFlight == 0) delay(5) }
                            }
                        call!!.await()
                    }
                    if (succeeds) result.getOrThrow() else shouldThrow<ClientClosedException> { result.getOrThrow() }
                }
            }
        }

        test("the emulator enabled but not on the classpath fails startup naming the artifact, and nothing reaches the environment URL") {
            DataverseEmulator.start().use { environment ->
                val withoutEmulator = emulated.withClassLoader(FilteredClassLoader(DataverseEmulator::class.java))
                for (candidate in listOf(
                    withoutEmulator,
                    withoutEmulator.withPropertyValues("dataverse.environment-url=${environment.baseUrl}", "dataverse.token=t"),
                    // An application's own client: the emulator it asked for is still missing.
                    withoutEmulator.withBean(DataverseClient::class.java, { DataverseClient.builder().environmentUrl(environment.baseUrl).token("t").build() }),
                )) {
                    candidate.run { context ->
                        val failure = context.startupFailure.shouldNotBeNull()
                        val cause = generateSequence(failure) { it.cause }.last()
                        cause.javaClass.simpleName shouldBe "EmulatorMissingException"
                        cause.message!! shouldContain "dev.dataverse:dataverse-emulator"
                        cause.message!! shouldContain "test scope"
                    }
                }
                environment.stats.requests shouldBe 0L
            }
        }

        test("Spring Boot's failure analysis of that startup says which dependency to add") {
            // Loaded as SpringApplication loads them; Boot's own analyzers need arguments only an application provides.
            val analyzers = SpringFactoriesLoader.forDefaultResourceLocation(javaClass.classLoader)
                .load(FailureAnalyzer::class.java, null, SpringFactoriesLoader.FailureHandler.handleMessage { _, _ -> })
            val analyzer = analyzers.single { it.javaClass.simpleName == "EmulatorMissingFailureAnalyzer" }
            emulated.withClassLoader(FilteredClassLoader(DataverseEmulator::class.java)).run { context ->
                val analysis = analyzer.analyze(context.startupFailure.shouldNotBeNull()).shouldNotBeNull()
                analysis.description shouldContain "dev.dataverse:dataverse-emulator"
                analysis.action shouldContain "<artifactId>dataverse-emulator</artifactId>"
                analysis.action shouldContain "<scope>test</scope>"
            }
            analyzer.analyze(IllegalStateException("something else")) shouldBe null
        }

        test("no emulator unless enabled") {
            runner.withPropertyValues("dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=t").run { context ->
                context.getBeansOfType(DataverseEmulator::class.java).keys.shouldBeEmpty()
                context.getBeansOfType(DataverseConnectionDetails::class.java).keys.shouldBeEmpty()
            }
        }
    }
})
