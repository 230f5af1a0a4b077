package dev.dataverse.telemetry.internal

import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.metrics.Meter

/**
 * Records into OpenTelemetry instruments. HTTP attempts go to `http.client.request.duration`, the instrument the HTTP
 * client conventions define (seconds, https://opentelemetry.io/docs/specs/semconv/http/http-metrics/); the rest are
 * `dataverse.client.*`.
 */
internal class OpenTelemetrySink(private val meter: Meter) : MetricsSink {
    private val operations = meter.histogramBuilder("dataverse.client.operation.duration").setUnit("s")
        .setDescription("Duration of public Dataverse client calls, retries included").build()
    private val requests = meter.histogramBuilder("http.client.request.duration").setUnit("s")
        .setDescription("Duration of HTTP client requests.").build()
    private val throttles = meter.counterBuilder("dataverse.client.throttles").setUnit("{response}")
        .setDescription("Responses throttled by service protection, by error code").build()
    private val retries = meter.counterBuilder("dataverse.client.retries").setUnit("{retry}").setDescription("Retries, by reason").build()
    private val bulk = meter.counterBuilder("dataverse.client.bulk.records").setUnit("{record}")
        .setDescription("Records written or failed by bulk operations").build()
    private val files = meter.counterBuilder("dataverse.client.file.bytes").setUnit("By").setDescription("File content transferred").build()
    private val tokens = meter.counterBuilder("dataverse.client.token.acquisitions").setUnit("{token}")
        .setDescription("Tokens acquired from the credential").build()

    override fun operation(operation: String, nanos: Long, errorType: String?) {
        val attributes = Attributes.builder().put(OPERATION, operation)
        if (errorType != null) attributes.put(ERROR_TYPE, errorType)
        operations.record(nanos / NANOS_PER_SECOND, attributes.build())
    }

    override fun request(operation: String, method: String, status: Int, errorType: String?, nanos: Long) {
        val attributes = Attributes.builder().put(OPERATION, operation).put(METHOD, method)
        if (status > 0) attributes.put(STATUS, status.toLong())
        if (errorType != null) attributes.put(ERROR_TYPE, errorType)
        requests.record(nanos / NANOS_PER_SECOND, attributes.build())
    }

    override fun throttled(code: String) = throttles.add(1, Attributes.of(ERROR_CODE, code))

    override fun retried(reason: String) = retries.add(1, Attributes.of(RETRY_REASON, reason))

    override fun bulkRecords(operation: String, written: Int, failed: Int) {
        if (written > 0) bulk.add(written.toLong(), Attributes.of(OPERATION, operation, OUTCOME, "written"))
        if (failed > 0) bulk.add(failed.toLong(), Attributes.of(OPERATION, operation, OUTCOME, "failed"))
    }

    override fun fileBytes(direction: String, bytes: Long) = files.add(bytes, Attributes.of(DIRECTION, direction))

    override fun tokenAcquired(success: Boolean, nanos: Long) = tokens.add(1, Attributes.of(OUTCOME, if (success) "success" else "error"))

    override fun gauges(server: String, port: Int, clients: LiveClients) {
        val attributes = Attributes.of(SERVER_ADDRESS, server, SERVER_PORT, port.toLong())
        meter.upDownCounterBuilder("dataverse.client.requests.in_flight").setUnit("{request}")
            .setDescription("HTTP requests in flight").buildWithCallback { it.record(clients.inFlight().toLong(), attributes) }
        meter.gaugeBuilder("dataverse.client.concurrency.limit").ofLongs().setUnit("{request}")
            .setDescription("The adaptive limit of requests in flight").buildWithCallback { it.record(clients.concurrencyLimit().toLong(), attributes) }
    }

    private companion object {
        const val NANOS_PER_SECOND = 1_000_000_000.0
        val OPERATION: AttributeKey<String> = AttributeKey.stringKey(Conventions.OPERATION)
        val ERROR_TYPE: AttributeKey<String> = AttributeKey.stringKey(Conventions.ERROR_TYPE)
        val METHOD: AttributeKey<String> = AttributeKey.stringKey(Conventions.HTTP_METHOD)
        val STATUS: AttributeKey<Long> = AttributeKey.longKey(Conventions.HTTP_STATUS)
        val ERROR_CODE: AttributeKey<String> = AttributeKey.stringKey(Conventions.ERROR_CODE)
        val RETRY_REASON: AttributeKey<String> = AttributeKey.stringKey(Conventions.RETRY_REASON)
        val OUTCOME: AttributeKey<String> = AttributeKey.stringKey(Conventions.OUTCOME)
        val DIRECTION: AttributeKey<String> = AttributeKey.stringKey(Conventions.DIRECTION)
        val SERVER_ADDRESS: AttributeKey<String> = AttributeKey.stringKey(Conventions.SERVER_ADDRESS)
        val SERVER_PORT: AttributeKey<Long> = AttributeKey.longKey(Conventions.SERVER_PORT)
    }
}
