package dev.dataverse.telemetry

import com.sun.net.httpserver.HttpServer
import dev.dataverse.ThrottledException
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.java.DataverseBlockingClient
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationHandler
import io.micrometer.observation.ObservationRegistry
import io.micrometer.observation.transport.SenderContext
import java.net.InetSocketAddress
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.milliseconds

/**
 * Observations of real calls against the emulator: what a registry's handlers (Spring Boot's meter and tracing handlers
 * among them) receive.
 */
class ObservationSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(faultSeed = 11))
    afterSpec { emulator.close() }
    afterTest { emulator.reset() }

    /** Keeps every context it sees, at start and at stop, as a tracing or meter handler would receive them. */
    class Recording : ObservationHandler<Observation.Context> {
        val started = CopyOnWriteArrayList<Observation.Context>()
        val stopped = CopyOnWriteArrayList<Observation.Context>()
        val events = CopyOnWriteArrayList<String>()

        override fun onStart(context: Observation.Context) {
            started += context
        }

        override fun onEvent(event: Observation.Event, context: Observation.Context) {
            events += event.name
        }

        override fun onStop(context: Observation.Context) {
            stopped += context
        }

        override fun supportsContext(context: Observation.Context): Boolean = true

        fun operations() = stopped.filterIsInstance<DataverseOperationContext>()

        /** The attempts of writes, without the metadata reads (entity set names) the client makes first. */
        fun requests() = stopped.filterIsInstance<DataverseRequestContext>().filter { it.attempt.method != "GET" || "EntityDefinitions" !in it.attempt.url }
    }

    fun registry(handler: ObservationHandler<*>) = ObservationRegistry.create().apply { observationConfig().observationHandler(handler) }

    fun client(registry: ObservationRegistry, maxAttempts: Int = 3) = DataverseClient {
        environmentUrl(emulator.baseUrl)
        token("observed-token")
        retry(RetryOptions(maxAttempts = maxAttempts, baseDelay = 1.milliseconds, maxDelay = 2.milliseconds))
        addInstrumentation(DataverseObservation.create(registry))
    }

    test("one observation per call and one per attempt under it, named and keyed by the conventions") {
        val recording = Recording()
        client(registry(recording)).use { client -> client.records.create("account", mapOf("name" to "Observed")) }
        val operation = recording.operations().single()
        operation.name shouldBe "dataverse.client.operations"
        operation.contextualName shouldBe "records.create"
        operation.lowCardinalityKeyValues.associate { it.key to it.value } shouldBe
            mapOf("dataverse.operation" to "records.create", "outcome" to "success", "error.type" to "none")
        operation.highCardinalityKeyValues.associate { it.key to it.value }.let { high ->
            high["dataverse.table"] shouldBe "account"
            high["server.address"] shouldBe "127.0.0.1"
            high["dataverse.correlation_id"].shouldNotBeNull()
        }
        val request = recording.requests().single()
        request.name shouldBe "dataverse.client.requests"
        request.contextualName shouldBe "POST"
        request.parentObservation!!.contextView shouldBeSameInstanceAs operation
        request.lowCardinalityKeyValues.associate { it.key to it.value } shouldBe mapOf(
            "dataverse.operation" to "records.create", "http.request.method" to "POST",
            "http.response.status_code" to "204", "error.type" to "none",
        )
        request.highCardinalityKeyValues.associate { it.key to it.value }["url.full"] shouldBe "${emulator.baseUrl}/api/data/v9.2/accounts"
        request.response!!.statusCode shouldBe 204
        request.remoteServiceAddress shouldBe emulator.baseUrl
    }

    test("a call made inside an observation is its child, as a call from a Spring MVC handler joins the server request's") {
        val recording = Recording()
        val registry = registry(recording)
        val server = Observation.start("http.server.requests", registry)
        client(registry).use { client ->
            server.openScope().use { client.whoAmI() }
        }
        server.stop()
        recording.operations().single().parentObservation shouldBeSameInstanceAs server
    }

    test("the Java blocking facade runs the call on the caller's thread, so the current observation is its parent there too") {
        val recording = Recording()
        val registry = registry(recording)
        val server = Observation.start("http.server.requests", registry)
        DataverseBlockingClient.wrap(client(registry)).use { client ->
            server.openScope().use { client.whoAmI() }
        }
        server.stop()
        recording.operations().single().parentObservation shouldBeSameInstanceAs server
    }

    test("an attempt starts while its call is the current observation, so a tracing handler parents it on the call's span") {
        // Micrometer Tracing parents a new span on the thread's current span when that differs from the parent
        // observation's; the current observation while the attempt starts is what that span follows.
        val currentAtAttemptStart = CopyOnWriteArrayList<Observation.ContextView?>()
        lateinit var registry: ObservationRegistry
        val probe = object : ObservationHandler<Observation.Context> {
            override fun onStart(context: Observation.Context) {
                if (context is DataverseRequestContext) currentAtAttemptStart += registry.currentObservation?.contextView
            }

            override fun supportsContext(context: Observation.Context) = true
        }
        val recording = Recording()
        registry = ObservationRegistry.create().apply {
            observationConfig().observationHandler(recording)
            observationConfig().observationHandler(probe)
        }
        val server = Observation.start("http.server.requests", registry)
        client(registry).use { client -> server.openScope().use { client.whoAmI() } }
        server.stop()
        currentAtAttemptStart.single() shouldBeSameInstanceAs recording.operations().single()
        // And the caller's observation is current again afterwards.
        registry.currentObservation shouldBe null
    }

    test("retries are attempts of one call, and their waits events of it; a failure is recorded without its message") {
        val recording = Recording()
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_CONCURRENCY, 1.0, setOf("POST"), "contacts", retryAfterSeconds = 0))
        client(registry(recording)).use { client ->
            shouldThrow<ThrottledException> { client.records.create("contact", mapOf("lastname" to "Retried")) }
        }
        recording.requests().map { it.lowCardinalityKeyValues.first { kv -> kv.key == "http.response.status_code" }.value } shouldBe
            listOf("429", "429", "429")
        recording.requests().map { it.highCardinalityKeyValues.first { kv -> kv.key == "dataverse.attempt" }.value } shouldBe listOf("1", "2", "3")
        recording.requests().map { it.highCardinalityKeyValues.first { kv -> kv.key == "dataverse.error_code" }.value }.toSet() shouldBe
            setOf("0x80072326")
        recording.requests().first().error.shouldBeInstanceOf<DataverseObservedException>().statusCode shouldBe 429
        recording.events shouldBe listOf("throttled", "throttled")
        recording.operations().single().lowCardinalityKeyValues.first { it.key == "outcome" }.value shouldBe "error"
        emulator.faults().clear()

        val id = UUID.randomUUID()
        val failed = Recording()
        client(registry(failed)).use { client ->
            client.records.create("account", mapOf("accountid" to id.toString(), "name" to "secret-value-in-a-duplicate"))
            shouldThrow<DataverseException> {
                client.records.create("account", mapOf("accountid" to id.toString(), "name" to "secret-value-in-a-duplicate"))
            }
        }
        val operation = failed.operations().last()
        val thrown = operation.failure.shouldBeInstanceOf<DataverseException>()
        val recorded = operation.error.shouldBeInstanceOf<DataverseObservedException>()
        recorded.errorType shouldBe thrown.javaClass.name
        recorded.statusCode shouldBe thrown.statusCode
        recorded.message!! shouldNotContain "secret-value"
        recorded.message!! shouldNotContain id.toString()
        recorded.stackTrace shouldHaveSize 0
        operation.lowCardinalityKeyValues.associate { it.key to it.value }.let {
            it["outcome"] shouldBe "error"
            it["error.type"] shouldBe thrown.javaClass.name
        }
    }

    test("Micrometer's meter handler makes the timers of the observations: what Spring Boot's metrics bridge records") {
        val meters = SimpleMeterRegistry()
        client(registry(DefaultMeterObservationHandler(meters))).use { client ->
            client.records.create("account", mapOf("name" to "Timed"))
            client.whoAmI()
        }
        meters.get("dataverse.client.operations").tag("dataverse.operation", "records.create").tag("outcome", "success").tag("error", "none")
            .timer().count() shouldBe 1
        meters.get("dataverse.client.requests").tag("dataverse.operation", "whoAmI").tag("http.response.status_code", "200")
            .timer().count() shouldBe 1
        // High-cardinality values never become tags.
        meters.meters.flatMap { meter -> meter.id.tags.map { it.key } }.toSet().filter { it.startsWith("dataverse.") || it.startsWith("url.") } shouldContainExactly
            setOf("dataverse.operation")
    }

    test("a global convention of the registry replaces the default one") {
        val recording = Recording()
        val registry = registry(recording).apply {
            observationConfig().observationConvention(object : DefaultDataverseOperationConvention(), io.micrometer.observation.GlobalObservationConvention<DataverseOperationContext> {
                override fun getName() = "crm.calls"
            })
        }
        client(registry).use { it.whoAmI() }
        recording.operations().single().name shouldBe "crm.calls"
    }

    test("a tracing handler's propagation headers go on the wire of each attempt") {
        val received = CopyOnWriteArrayList<String?>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/api/data/v9.2/WhoAmI") { exchange ->
                received += exchange.requestHeaders.getFirst("traceparent")
                val body = """{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}"""
                    .toByteArray()
                exchange.responseHeaders.add("Content-Type", "application/json")
                exchange.sendResponseHeaders(200, body.size.toLong())
                exchange.responseBody.use { it.write(body) }
            }
            start()
        }
        // What Micrometer Tracing's PropagatingSenderTracingObservationHandler does on start: write through the setter.
        val propagating = object : ObservationHandler<SenderContext<Any>> {
            override fun onStart(context: SenderContext<Any>) {
                context.setter!!.set(context.carrier, "traceparent", "00-${"a".repeat(32)}-${"b".repeat(16)}-01")
            }

            override fun supportsContext(context: Observation.Context) = context is SenderContext<*>
        }
        try {
            DataverseClient {
                environmentUrl("http://127.0.0.1:${server.address.port}")
                token("wire-token")
                addInstrumentation(DataverseObservation.create(registry(propagating)))
            }.use { it.whoAmI() }
        } finally {
            server.stop(0)
        }
        received shouldBe listOf("00-${"a".repeat(32)}-${"b".repeat(16)}-01")
    }

    test("a cancelled call's observation ends with the outcome cancelled and no error") {
        val recording = Recording()
        emulator.faults().add(FaultRule(FaultKind.LATENCY, 1.0, setOf("GET"), latencyMillis = 5_000))
        client(registry(recording)).use { client ->
            kotlinx.coroutines.withTimeoutOrNull(300) { client.whoAmI() } shouldBe null
        }
        val operation = recording.operations().single()
        operation.lowCardinalityKeyValues.first { it.key == "outcome" }.value shouldBe "cancelled"
        operation.error shouldBe null
    }
})
