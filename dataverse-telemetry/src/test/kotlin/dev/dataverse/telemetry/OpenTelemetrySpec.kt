package dev.dataverse.telemetry

import dev.dataverse.BadRequestException
import dev.dataverse.BulkOptions
import dev.dataverse.DataverseClient
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.NotFoundException
import dev.dataverse.RecordKey
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlin.time.Duration.Companion.milliseconds

/** Spans and OpenTelemetry metrics of real calls against the emulator, read from the SDK's in-memory exporters. */
class OpenTelemetrySpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(faultSeed = 11))
    afterSpec { emulator.close() }
    afterTest { emulator.reset() }

    class Telemetry : AutoCloseable {
        val spans: InMemorySpanExporter = InMemorySpanExporter.create()
        val metrics: InMemoryMetricReader = InMemoryMetricReader.create()
        val sdk: OpenTelemetrySdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build()

        fun named(name: String): List<SpanData> = spans.finishedSpanItems.filter { it.name == name }
        fun childrenOf(parent: SpanData): List<SpanData> = spans.finishedSpanItems.filter { it.parentSpanId == parent.spanId }
        override fun close() = sdk.close()
    }

    fun client(telemetry: Telemetry, configure: DataverseClient.Builder.() -> Unit = {}) = DataverseClient {
        environmentUrl(emulator.baseUrl)
        token("otel-test-token")
        retry(RetryOptions(maxAttempts = 10, baseDelay = 1.milliseconds, maxDelay = 5.milliseconds))
        openTelemetry(telemetry.sdk)
        configure()
    }

    fun SpanData.string(key: String): String? = attributes.get(AttributeKey.stringKey(key))
    fun SpanData.long(key: String): Long? = attributes.get(AttributeKey.longKey(key))

    test("a create is one INTERNAL span named records.create with a CLIENT span per HTTP request under it") {
        Telemetry().use { telemetry ->
            client(telemetry).use { it.records.create("account", mapOf("name" to "Contoso")) }
            val operation = telemetry.named("records.create").single()
            operation.kind shouldBe SpanKind.INTERNAL
            operation.string("dataverse.operation") shouldBe "records.create"
            operation.string("dataverse.table") shouldBe "account"
            operation.status.statusCode shouldBe StatusCode.UNSET
            val attempts = telemetry.childrenOf(operation)
            attempts.map { it.kind }.toSet() shouldBe setOf(SpanKind.CLIENT)
            val post = attempts.single { it.name == "POST" }
            post.string("http.request.method") shouldBe "POST"
            post.long("http.response.status_code") shouldBe 204
            post.string("server.address") shouldBe "127.0.0.1"
            post.long("server.port") shouldBe emulator.port.toLong()
            post.string("url.full") shouldBe "${emulator.apiUrl}/accounts"
            post.long("dataverse.attempt") shouldBe 1
            post.string("dataverse.correlation_id") shouldBe operation.string("dataverse.correlation_id")
            post.string("dataverse.client_request_id") shouldNotBe null
            post.attributes.get(AttributeKey.longKey("http.request.resend_count")) shouldBe null
            post.traceId shouldBe operation.traceId
        }
    }

    test("a call made inside the application's span is its child") {
        Telemetry().use { telemetry ->
            val parent = telemetry.sdk.getTracer("app").spanBuilder("handle request").startSpan()
            client(telemetry).use { client ->
                parent.makeCurrent().use { client.whoAmI() }
            }
            parent.end()
            val operation = telemetry.named("whoAmI").single()
            operation.parentSpanId shouldBe parent.spanContext.spanId
            operation.traceId shouldBe parent.spanContext.traceId
        }
    }

    test("chaos: every throttled or failed attempt is a span of its own, and each retry an event on the call's span") {
        Telemetry().use { telemetry ->
            emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, 0.25, setOf("POST"), "accounts", retryAfterSeconds = 0))
            emulator.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, 0.2, setOf("POST"), "accounts", retryAfterSeconds = 0))
            client(telemetry).use { client ->
                repeat(30) { client.records.create("account", mapOf("name" to "chaos $it")) }
            }
            val operations = telemetry.named("records.create")
            operations shouldHaveSize 30
            var retried = 0
            for (operation in operations) {
                val posts = telemetry.childrenOf(operation).filter { it.name == "POST" }.sortedBy { it.long("dataverse.attempt") }
                posts.map { it.long("dataverse.attempt") } shouldBe (1L..posts.size).toList()
                posts.last().long("http.response.status_code") shouldBe 204
                val failed = posts.dropLast(1)
                failed.forEach {
                    it.status.statusCode shouldBe StatusCode.ERROR
                    it.string("error.type") shouldBe it.long("http.response.status_code").toString()
                }
                posts.drop(1).map { it.long("http.request.resend_count") } shouldBe (1L until posts.size).toList()
                val events = operation.events.filter { it.name == "dataverse.retry" || it.name == "dataverse.throttled" }
                events shouldHaveSize failed.size
                failed.zip(events).forEach { (attempt, event) ->
                    val throttled = attempt.long("http.response.status_code") == 429L
                    event.name shouldBe if (throttled) "dataverse.throttled" else "dataverse.retry"
                    event.attributes.get(AttributeKey.longKey("dataverse.attempt")) shouldBe attempt.long("dataverse.attempt")
                    if (throttled) {
                        attempt.string("dataverse.error_code") shouldBe "0x80072322"
                        event.attributes.get(AttributeKey.stringKey("dataverse.retry.reason")) shouldBe "throttled"
                    }
                }
                retried += failed.size
            }
            val injected = emulator.stats.faultsInjected(FaultKind.THROTTLE_REQUESTS) + emulator.stats.faultsInjected(FaultKind.SERVICE_UNAVAILABLE)
            retried.toLong() shouldBe injected
            retried shouldBeGreaterThan 5
        }
    }

    test("a failed call ends its span with the typed error and no message; the attempt says 404") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                shouldThrow<NotFoundException> { client.records.get("account", java.util.UUID.randomUUID()) }
            }
            val operation = telemetry.named("records.get").single()
            operation.status.statusCode shouldBe StatusCode.ERROR
            operation.string("error.type") shouldBe NotFoundException::class.java.name
            operation.long("http.response.status_code") shouldBe 404
            val exception = operation.events.single { it.name == "exception" }
            exception.attributes.get(AttributeKey.stringKey("exception.type")) shouldBe NotFoundException::class.java.name
            exception.attributes.get(AttributeKey.stringKey("exception.message")) shouldBe null
            val get = telemetry.childrenOf(operation).last()
            get.string("error.type") shouldBe "404"
        }
    }

    test("bulk: an event per chunk with its counts, and the chunk size on each request of the chunk") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                client.records.createMany("contact", (1..250).map { mapOf("lastname" to "Bulk $it") }, BulkOptions(chunkSize = 100))
            }
            val operation = telemetry.named("records.createMany").single()
            val chunks = operation.events.filter { it.name == "dataverse.bulk.chunk" }
            chunks.map { it.attributes.get(AttributeKey.longKey("dataverse.bulk.chunk_size")) }.sortedBy { it } shouldBe listOf(50L, 100L, 100L)
            chunks.sumOf { it.attributes.get(AttributeKey.longKey("dataverse.bulk.succeeded"))!! } shouldBe 250
            val posts = telemetry.childrenOf(operation).filter { it.name == "POST" }
            posts.map { it.long("dataverse.bulk.chunk_size") }.sortedBy { it } shouldBe listOf(50L, 100L, 100L)
        }
    }

    test("a listing is one span from the start of its collection to its end, with a request per page") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                client.records.createMany("contact", (1..30).map { mapOf("lastname" to "Page $it") })
                client.records.list("contact", ListOptions(pageSize = 10)).toList() shouldHaveSize 30
                client.records.list("contact", ListOptions(pageSize = 10)).take(1).toList()
            }
            val (full, stopped) = telemetry.named("records.list")
            telemetry.childrenOf(full).count { it.name == "GET" && it.string("url.full")!!.contains("contacts") } shouldBe 3
            full.attributes.get(AttributeKey.booleanKey("dataverse.cancelled")) shouldBe null
            stopped.attributes.get(AttributeKey.booleanKey("dataverse.cancelled")) shouldBe true
            stopped.status.statusCode shouldBe StatusCode.UNSET
        }
    }

    test("a cursor's span starts with its first page and ends when it is closed, or when it is dropped and collected") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                client.records.createMany("contact", (1..30).map { mapOf("lastname" to "Cursor $it") })
                val pager = client.records.pager("contact", ListOptions(pageSize = 10))
                val unused = pager.cursor()
                pager.cursor().use { cursor -> cursor.next().records shouldHaveSize 10 }
                telemetry.named("records.list") shouldHaveSize 1

                // A cursor read half-way and dropped, as a Java stream limited and never closed leaves it: read by blocking
                // calls on a thread of its own, as the Java facade reads pages, so that no frame of this test holds it.
                val read = java.util.concurrent.atomic.AtomicInteger()
                Thread { read.set(kotlinx.coroutines.runBlocking { pager.cursor().next().records.size }) }.apply { start(); join() }
                read.get() shouldBe 10
                for (attempt in 1..200) {
                    if (telemetry.named("records.list").size == 2) break
                    System.gc()
                    Thread.sleep(25)
                }
                telemetry.named("records.list") shouldHaveSize 2
                unused.hasNext shouldBe true
            }
            telemetry.named("records.list").forEach { span ->
                span.status.statusCode shouldBe StatusCode.UNSET
                telemetry.childrenOf(span).count { it.name == "GET" && it.string("url.full")!!.contains("contacts") } shouldBe 1
            }
        }
    }

    test("no record value, filter value, key value or token reaches a span") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                val id = client.records.create("account", mapOf("name" to "SECRET-NAME", "accountnumber" to "SECRET-KEY"))
                client.records.update("account", id, mapOf("telephone1" to "SECRET-PHONE"))
                client.records.list("account", ListOptions(filter = Filter.eq("name", "SECRET-NAME"))).toList() shouldHaveSize 1
                // No alternate key on account by default, as on a fresh org: the key is refused, and its value stays out of spans.
                shouldThrow<BadRequestException> {
                    client.records.get("account", RecordKey.alternate("accountnumber", "SECRET-MISSING"))
                }
            }
            val everything = telemetry.spans.finishedSpanItems.joinToString("\n") { span ->
                span.name + span.attributes.asMap().values.joinToString() + span.events.joinToString { it.name + it.attributes.asMap().values }
            }
            for (secret in listOf("SECRET", "otel-test-token", "Bearer")) everything shouldNotContain secret
            val listing = telemetry.childrenOf(telemetry.named("records.list").single()).single { it.name == "GET" && "accounts" in it.string("url.full")!! }
            listing.string("url.full")!! shouldStartWith "${emulator.apiUrl}/accounts?"
            listing.string("url.full")!! shouldNotContain "eq"
        }
    }

    test("OpenTelemetry metrics: request durations by operation and status, bulk records, operations") {
        Telemetry().use { telemetry ->
            client(telemetry).use { client ->
                client.records.createMany("contact", (1..7).map { mapOf("lastname" to "Task $it") })
                client.whoAmI()
            }
            val metrics = telemetry.metrics.collectAllMetrics().associateBy { it.name }
            val requests = metrics.getValue("http.client.request.duration").histogramData.points
            requests.map { it.attributes.get(AttributeKey.stringKey("dataverse.operation")) }.toSet() shouldBe setOf("records.createMany", "whoAmI")
            requests.filter { it.attributes.get(AttributeKey.stringKey("dataverse.operation")) == "whoAmI" }
                .single().attributes.get(AttributeKey.longKey("http.response.status_code")) shouldBe 200
            val bulk = metrics.getValue("dataverse.client.bulk.records").longSumData.points
            bulk.single { it.attributes.get(AttributeKey.stringKey("outcome")) == "written" }.value shouldBe 7
            metrics.getValue("dataverse.client.operation.duration").histogramData.points.sumOf { it.count } shouldBe 2
            metrics.getValue("dataverse.client.token.acquisitions").longSumData.points.single().value shouldBe 1
            metrics.keys shouldContainAll listOf("dataverse.client.requests.in_flight", "dataverse.client.concurrency.limit")
        }
    }
})

private infix fun <T> Collection<T>.shouldContainAll(expected: Collection<T>) = expected.filterNot { it in this } shouldContainExactly emptyList()
