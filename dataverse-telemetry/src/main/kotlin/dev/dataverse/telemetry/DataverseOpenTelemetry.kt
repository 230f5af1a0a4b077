// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-DataverseOpenTelemetry")

package dev.dataverse.telemetry

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.telemetry.internal.Conventions
import dev.dataverse.telemetry.internal.MetricsInstrumentation
import dev.dataverse.telemetry.internal.OpenTelemetrySink
import dev.dataverse.telemetry.internal.TracingInstrumentation
import io.opentelemetry.api.OpenTelemetry

/**
 * OpenTelemetry tracing and metrics for the Dataverse client.
 *
 * Each public call (`records.create`, `records.createMany`, `batch`, `files.upload`, a `records.list` collection...)
 * becomes an INTERNAL span, child of the span current when the call starts, and each HTTP attempt a CLIENT span under it
 * with the OpenTelemetry HTTP client attributes (`http.request.method`, `url.full` with every value redacted,
 * `server.address`, `server.port`, `http.response.status_code`, `error.type`, `http.request.resend_count`) and the
 * Dataverse ones (`dataverse.operation`, `dataverse.table`, `dataverse.client_request_id`, `dataverse.correlation_id`,
 * `dataverse.service_request_id`, `dataverse.attempt`, `dataverse.error_code`, `dataverse.bulk.chunk_size`). Retries and
 * throttle waits are events on the call's span (`dataverse.retry`, `dataverse.throttled`), as are bulk chunks
 * (`dataverse.bulk.chunk`). The attempt's trace context goes on the wire through the configured propagators (W3C
 * `traceparent` by default). No body, token, record value or error message is recorded.
 *
 * ```kotlin
 * val client = DataverseClient {
 *     environmentUrl("https://contoso.crm.dynamics.com")
 *     credential(credential)
 *     addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
 * }
 * ```
 * ```java
 * DataverseBlockingClient client = new DataverseClientBuilder()
 *     .environmentUrl("https://contoso.crm.dynamics.com")
 *     .credential(credential)
 *     .addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
 *     .buildClient();
 * ```
 */
public object DataverseOpenTelemetry {
    /** The instrumentation scope name of the tracer and the meter. */
    public const val INSTRUMENTATION_NAME: String = Conventions.SCOPE

    /** Spans and metrics through [openTelemetry]'s tracer provider, meter provider and propagators. */
    @JvmStatic
    public fun create(openTelemetry: OpenTelemetry): DataverseInstrumentation = build(openTelemetry, metrics = true)

    /** Spans only, for applications that measure through Micrometer ([DataverseMicrometer]). */
    @JvmStatic
    public fun tracing(openTelemetry: OpenTelemetry): DataverseInstrumentation = build(openTelemetry, metrics = false)

    /** Metrics only, through [openTelemetry]'s meter provider. */
    @JvmStatic
    public fun metrics(openTelemetry: OpenTelemetry): DataverseInstrumentation = MetricsInstrumentation(OpenTelemetrySink(meter(openTelemetry)))

    private fun build(openTelemetry: OpenTelemetry, metrics: Boolean): DataverseInstrumentation {
        val tracer = openTelemetry.tracerProvider.tracerBuilder(INSTRUMENTATION_NAME).setInstrumentationVersion(version()).build()
        val measured = if (metrics) MetricsInstrumentation(OpenTelemetrySink(meter(openTelemetry))) else null
        return TracingInstrumentation(tracer, openTelemetry.propagators.textMapPropagator, measured)
    }

    private fun meter(openTelemetry: OpenTelemetry) =
        openTelemetry.meterProvider.meterBuilder(INSTRUMENTATION_NAME).setInstrumentationVersion(version()).build()

    private fun version(): String = DataverseOpenTelemetry::class.java.`package`?.implementationVersion ?: "unknown"
}

/**
 * Kotlin shorthand for `addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))`: spans and metrics through
 * [openTelemetry]. Java code calls [DataverseOpenTelemetry.create].
 */
@JvmSynthetic
public fun DataverseClient.Builder.openTelemetry(openTelemetry: OpenTelemetry): DataverseClient.Builder =
    addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
