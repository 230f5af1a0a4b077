package dev.dataverse.telemetry

import com.sun.net.httpserver.HttpServer
import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import java.net.InetSocketAddress
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList

/** What goes on the wire, read by a bare JDK HTTP server on loopback. */
class PropagationSpec : FunSpec({
    val traceparents = CopyOnWriteArrayList<String?>()
    val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
        createContext("/api/data/v9.2/WhoAmI") { exchange ->
            traceparents += exchange.requestHeaders.getFirst("traceparent")
            val body = """{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}"""
                .toByteArray()
            exchange.responseHeaders.add("Content-Type", "application/json")
            exchange.sendResponseHeaders(200, body.size.toLong())
            exchange.responseBody.use { it.write(body) }
        }
        start()
    }
    afterSpec { server.stop(0) }
    afterTest { traceparents.clear() }

    fun client(vararg instrumentations: DataverseInstrumentation) = DataverseClient {
        environmentUrl("http://127.0.0.1:${server.address.port}")
        token("wire-token")
        instrumentations.forEach { addInstrumentation(it) }
    }

    test("each attempt sends the W3C traceparent of its own span") {
        val spans = InMemorySpanExporter.create()
        val sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build()
        client(DataverseOpenTelemetry.tracing(sdk)).use { it.whoAmI() }
        val attempt = spans.finishedSpanItems.single { it.name == "GET" }
        traceparents shouldBe listOf("00-${attempt.traceId}-${attempt.spanId}-${attempt.spanContext.traceFlags.asHex()}")
        sdk.close()
    }

    test("without instrumentation, no trace header is sent") {
        client().use { it.whoAmI() }
        traceparents shouldBe listOf(null)
    }

    test("an instrumentation that throws everywhere never fails a call, and the others still hear of it") {
        val heard = CopyOnWriteArrayList<String>()
        val broken = DataverseInstrumentation { error("bind") }
        val failing = DataverseInstrumentation {
            object : ClientObserver {
                override fun operationStarted(operation: OperationInfo): OperationObserver = object : OperationObserver {
                    override fun attemptStarted(attempt: AttemptInfo): AttemptObserver = AttemptObserver { _, _ -> error("attempt ended") }
                    override fun ended(error: Throwable?) = error("ended")
                }
            }
        }
        val listening = DataverseInstrumentation {
            object : ClientObserver {
                override fun operationStarted(operation: OperationInfo): OperationObserver = object : OperationObserver {
                    override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
                        heard += "attempt ${attempt.method}"
                        return AttemptObserver { response, _ -> heard += "status ${response?.statusCode}" }
                    }
                    override fun ended(error: Throwable?) { heard += "ended ${operation.name}" }
                }
            }
        }
        client(broken, failing, listening).use { it.whoAmI() }
        heard shouldBe listOf("attempt GET", "status 200", "ended whoAmI")
        traceparents shouldHaveSize 1
    }
})
