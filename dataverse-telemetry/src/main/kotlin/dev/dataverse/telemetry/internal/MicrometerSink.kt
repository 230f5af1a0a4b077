package dev.dataverse.telemetry.internal

import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.Timer
import java.util.concurrent.TimeUnit

/**
 * Records into Micrometer meters; names are dotted, each registry renders them in its own convention. Without [timers],
 * calls and attempts are not timed here: observations ([dev.dataverse.telemetry.DataverseObservation]) time them.
 */
internal class MicrometerSink(private val registry: MeterRegistry, private val common: Tags, private val timers: Boolean = true) : MetricsSink {
    private val operations = Timer.builder("dataverse.client.operations")
        .description("Duration of public Dataverse client calls, retries included").withRegistry(registry)
    private val requests = Timer.builder("dataverse.client.requests")
        .description("Duration of HTTP attempts to the Dataverse Web API").withRegistry(registry)
    private val throttles = Counter.builder("dataverse.client.throttles")
        .description("Responses throttled by service protection, by error code").withRegistry(registry)
    private val retries = Counter.builder("dataverse.client.retries").description("Retries, by reason").withRegistry(registry)
    private val bulk = Counter.builder("dataverse.client.bulk.records")
        .description("Records written or failed by bulk operations").withRegistry(registry)
    private val files = Counter.builder("dataverse.client.file.bytes").baseUnit("bytes")
        .description("File content transferred").withRegistry(registry)
    private val tokens = Counter.builder("dataverse.client.token.acquisitions")
        .description("Tokens acquired from the credential").withRegistry(registry)

    override fun operation(operation: String, nanos: Long, errorType: String?) {
        if (!timers) return
        operations.withTags(common.and(Conventions.OPERATION, operation).and(Conventions.ERROR_TYPE, errorType ?: NONE).and(OUTCOME, outcome(errorType)))
            .record(nanos, TimeUnit.NANOSECONDS)
    }

    override fun request(operation: String, method: String, status: Int, errorType: String?, nanos: Long) {
        if (!timers) return
        requests.withTags(
            common.and(Conventions.OPERATION, operation).and(Conventions.HTTP_METHOD, method)
                .and(Conventions.HTTP_STATUS, status.toString()).and(Conventions.ERROR_TYPE, errorType ?: NONE),
        ).record(nanos, TimeUnit.NANOSECONDS)
    }

    override fun throttled(code: String) = throttles.withTags(common.and(Conventions.ERROR_CODE, code)).increment()

    override fun retried(reason: String) = retries.withTags(common.and(Conventions.RETRY_REASON, reason)).increment()

    override fun bulkRecords(operation: String, written: Int, failed: Int) {
        val tags = common.and(Conventions.OPERATION, operation)
        if (written > 0) bulk.withTags(tags.and(OUTCOME, "written")).increment(written.toDouble())
        if (failed > 0) bulk.withTags(tags.and(OUTCOME, "failed")).increment(failed.toDouble())
    }

    override fun fileBytes(direction: String, bytes: Long) = files.withTags(common.and(Conventions.DIRECTION, direction)).increment(bytes.toDouble())

    override fun tokenAcquired(success: Boolean, nanos: Long) =
        tokens.withTags(common.and(OUTCOME, if (success) SUCCESS else ERROR)).increment()

    override fun gauges(server: String, port: Int, clients: LiveClients) {
        val tags = common.and(Conventions.SERVER_ADDRESS, server).and(Conventions.SERVER_PORT, port.toString())
        Gauge.builder("dataverse.client.requests.in.flight", clients) { it.inFlight().toDouble() }
            .description("HTTP requests in flight").tags(tags).register(registry)
        Gauge.builder("dataverse.client.concurrency.limit", clients) { it.concurrencyLimit().toDouble() }
            .description("The adaptive limit of requests in flight").tags(tags).register(registry)
    }

    private fun outcome(errorType: String?) = when (errorType) {
        null -> SUCCESS
        MetricsOperationObserver.CANCELLED -> MetricsOperationObserver.CANCELLED
        else -> ERROR
    }

    private companion object {
        const val OUTCOME = "outcome"
        const val SUCCESS = "success"
        const val ERROR = "error"
        const val NONE = "none"
    }
}
