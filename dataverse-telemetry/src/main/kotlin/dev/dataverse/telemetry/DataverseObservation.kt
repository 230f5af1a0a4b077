// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-DataverseObservation")

package dev.dataverse.telemetry

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.telemetry.internal.ObservationInstrumentation
import io.micrometer.observation.ObservationRegistry

/**
 * The Micrometer Observation API for the Dataverse client: one observation per public call and one per HTTP attempt
 * under it, started in an [ObservationRegistry]. Whatever handlers the registry has turn them into measurements and
 * spans — in Spring Boot, its metrics bridge makes timers and its tracing bridge (Micrometer Tracing with OpenTelemetry
 * or Brave) makes spans, with nothing else to configure.
 *
 * | observation | context | contextual name (span name) | low-cardinality keys (timer tags) |
 * |---|---|---|---|
 * | `dataverse.client.operations` | [DataverseOperationContext] | the operation, `records.create` | `dataverse.operation`, `outcome` (success, error, cancelled), `error.type` |
 * | `dataverse.client.requests` | [DataverseRequestContext], a sender context | the method, `POST` | `dataverse.operation`, `http.request.method`, `http.response.status_code` (0: no response), `error.type` |
 *
 * High-cardinality keys (span attributes only): `dataverse.table`, `dataverse.correlation_id`, `server.address`,
 * `server.port` on both; `url.full` (every value redacted, as [DataverseOpenTelemetry] does), `dataverse.attempt`,
 * `http.request.resend_count`, `dataverse.client_request_id`, `dataverse.service_request_id`, `dataverse.error_code` and
 * `dataverse.bulk.chunk_size` on requests. Retries, throttle waits and bulk chunks are events of the call's observation
 * (`retry`, `throttled`, `bulk.chunk`).
 *
 * ## Parents and propagation
 * A call's observation is a child of the registry's current observation when the call starts (in a Spring MVC handler:
 * the server request's), so its span joins the request's trace. Each attempt's observation is a child of its call's;
 * its context is a [io.micrometer.observation.transport.SenderContext] whose carrier is the request, so a tracing
 * handler injects its propagation headers (`traceparent`) into each attempt. Kotlin code calling from another
 * coroutine dispatcher than the one holding the current observation should carry it in the coroutine context (Micrometer's
 * context propagation), as for any thread-local.
 *
 * ## Errors
 * A failed call or attempt is passed to [io.micrometer.observation.Observation.error] as a
 * [DataverseObservedException]: its message names the failure's class, status and Dataverse error code, never the
 * failure's own message, which can quote the values a request carried. The failure itself is on the context
 * ([DataverseOperationContext.failure], [DataverseRequestContext.failure]) for conventions and handlers of your own.
 *
 * ## Conventions
 * The names and keys come from [DefaultDataverseOperationConvention] and [DefaultDataverseRequestConvention]; a
 * `GlobalObservationConvention` registered in the registry for these contexts replaces them, as does passing your own to
 * [create]. With Micrometer meters too, use [DataverseMicrometer.counters] so that calls are not timed twice.
 *
 * ```kotlin
 * val client = DataverseClient { /* ... */ addInstrumentation(DataverseObservation.create(observationRegistry)) }
 * ```
 * ```java
 * new DataverseClientBuilder() /* ... */ .addInstrumentation(DataverseObservation.create(observationRegistry)).buildClient();
 * ```
 */
public object DataverseObservation {
    /** The name of each call's observation, and so of the timer Micrometer's meter handler makes of it. */
    public const val OPERATION_OBSERVATION: String = "dataverse.client.operations"

    /** The name of each HTTP attempt's observation. */
    public const val REQUEST_OBSERVATION: String = "dataverse.client.requests"

    /** Observations in [registry], named and keyed by the default conventions. */
    @JvmStatic
    public fun create(registry: ObservationRegistry): DataverseInstrumentation = create(registry, null, null)

    /**
     * Observations in [registry], named and keyed by [operationConvention] and [requestConvention] (each `null` for the
     * default, which a global convention of the registry can still replace).
     */
    @JvmStatic
    public fun create(
        registry: ObservationRegistry,
        operationConvention: DataverseOperationConvention?,
        requestConvention: DataverseRequestConvention?,
    ): DataverseInstrumentation = ObservationInstrumentation(registry, operationConvention, requestConvention)
}

/**
 * Kotlin shorthand for `addInstrumentation(DataverseObservation.create(registry))`: the client's observations in
 * [registry]. Java code calls [DataverseObservation.create].
 */
@JvmSynthetic
public fun DataverseClient.Builder.observationRegistry(registry: ObservationRegistry): DataverseClient.Builder =
    addInstrumentation(DataverseObservation.create(registry))
