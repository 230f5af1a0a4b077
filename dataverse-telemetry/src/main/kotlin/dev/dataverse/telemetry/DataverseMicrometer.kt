// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-DataverseMicrometer")

package dev.dataverse.telemetry

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.telemetry.internal.MetricsInstrumentation
import dev.dataverse.telemetry.internal.MicrometerSink
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.Tags

/**
 * Micrometer meters for the Dataverse client:
 *
 * | meter | type | tags |
 * |---|---|---|
 * | `dataverse.client.operations` | timer | `dataverse.operation`, `outcome` (success, error, cancelled), `error.type` |
 * | `dataverse.client.requests` | timer, per HTTP attempt | `dataverse.operation`, `http.request.method`, `http.response.status_code` (0: no response), `error.type` |
 * | `dataverse.client.throttles` | counter | `dataverse.error_code` (`0x80072322`..., or the status) |
 * | `dataverse.client.retries` | counter | `dataverse.retry.reason` (throttled, service_unavailable, connection_failed, timeout, token_refresh) |
 * | `dataverse.client.requests.in.flight` | gauge | `server.address`, `server.port` |
 * | `dataverse.client.concurrency.limit` | gauge, the adaptive limit | `server.address`, `server.port` |
 * | `dataverse.client.bulk.records` | counter | `dataverse.operation`, `outcome` (written, failed) |
 * | `dataverse.client.file.bytes` | counter, bytes | `direction` (upload, download) |
 * | `dataverse.client.token.acquisitions` | counter | `outcome` (success, error) |
 *
 * Tables are not a tag, to keep the number of series bounded; the spans of [DataverseOpenTelemetry] carry them.
 *
 * ```kotlin
 * val client = DataverseClient { /* ... */ addInstrumentation(DataverseMicrometer.create(meterRegistry)) }
 * ```
 * ```java
 * new DataverseClientBuilder() /* ... */ .addInstrumentation(DataverseMicrometer.create(meterRegistry)).buildClient();
 * ```
 */
public object DataverseMicrometer {
    /** Meters in [registry]. */
    @JvmStatic
    public fun create(registry: MeterRegistry): DataverseInstrumentation = create(registry, Tags.empty())

    /** Meters in [registry], each with [tags] added (e.g. the application's name for this client). */
    @JvmStatic
    public fun create(registry: MeterRegistry, tags: Iterable<Tag>): DataverseInstrumentation =
        MetricsInstrumentation(MicrometerSink(registry, Tags.of(tags)))

    /**
     * The counters and gauges of [create] without its two timers, for an application whose calls and attempts are timed
     * by observations ([DataverseObservation]) in a registry with a meter handler, as in Spring Boot: both would make
     * `dataverse.client.operations` and `dataverse.client.requests`, with different tags.
     */
    @JvmStatic
    @JvmOverloads
    public fun counters(registry: MeterRegistry, tags: Iterable<Tag> = Tags.empty()): DataverseInstrumentation =
        MetricsInstrumentation(MicrometerSink(registry, Tags.of(tags), timers = false))
}

/**
 * Kotlin shorthand for `addInstrumentation(DataverseMicrometer.create(registry))`: the client's meters in [registry].
 * Java code calls [DataverseMicrometer.create].
 */
@JvmSynthetic
public fun DataverseClient.Builder.meterRegistry(registry: MeterRegistry): DataverseClient.Builder =
    addInstrumentation(DataverseMicrometer.create(registry))
