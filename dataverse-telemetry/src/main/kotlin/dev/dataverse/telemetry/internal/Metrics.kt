package dev.dataverse.telemetry.internal

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpPolicy
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import dev.dataverse.ThrottledException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Where measurements go: Micrometer meters or OpenTelemetry instruments. The meaning of each measurement is decided once,
 * in [MetricsInstrumentation]; a sink only records.
 */
internal interface MetricsSink {
    /** A public call ended after [nanos]; [errorType] null on success. */
    fun operation(operation: String, nanos: Long, errorType: String?)

    /** An HTTP attempt ended after [nanos]; [status] 0 when there was no response. */
    fun request(operation: String, method: String, status: Int, errorType: String?, nanos: Long)

    fun throttled(code: String)

    fun retried(reason: String)

    fun bulkRecords(operation: String, written: Int, failed: Int)

    fun fileBytes(direction: String, bytes: Long)

    fun tokenAcquired(success: Boolean, nanos: Long)

    /** Registers the gauges (requests in flight, concurrency limit) reading [clients] of one environment. */
    fun gauges(server: String, port: Int, clients: LiveClients)
}

/** The clients of one environment that are open, so that gauges report their sum and stop counting closed ones. */
internal class LiveClients {
    private val clients = CopyOnWriteArrayList<InstrumentedClient>()

    fun add(client: InstrumentedClient) = clients.add(client)

    fun remove(client: InstrumentedClient) = clients.remove(client)

    fun inFlight(): Int = clients.sumOf { it.requestsInFlight }

    fun concurrencyLimit(): Int = clients.sumOf { it.concurrencyLimit }
}

/** Turns the client's events into measurements for a [MetricsSink]. */
internal class MetricsInstrumentation(private val sink: MetricsSink) : DataverseInstrumentation {
    private val environments = ConcurrentHashMap<String, LiveClients>()

    override fun bind(client: InstrumentedClient): ClientObserver {
        val key = "${client.serverAddress}:${client.serverPort}"
        val live = environments.computeIfAbsent(key) { LiveClients().also { sink.gauges(client.serverAddress, client.serverPort, it) } }
        live.add(client)
        return MetricsClientObserver(sink) { live.remove(client) }
    }
}

internal class MetricsClientObserver(private val sink: MetricsSink, private val onClose: () -> Unit) : ClientObserver {
    override fun operationStarted(operation: OperationInfo): OperationObserver = MetricsOperationObserver(sink, operation.name)

    override fun tokenAcquired(elapsed: java.time.Duration, error: DataverseException?) = sink.tokenAcquired(error == null, elapsed.toNanos())

    override fun close() = onClose()
}

internal class MetricsOperationObserver(private val sink: MetricsSink, private val operation: String) : OperationObserver {
    private val started = System.nanoTime()

    override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
        val attemptStarted = System.nanoTime()
        return AttemptObserver { response, error -> attemptEnded(attempt, response, error, System.nanoTime() - attemptStarted) }
    }

    private fun attemptEnded(attempt: AttemptInfo, response: HttpPolicy.Response?, error: DataverseException?, nanos: Long) {
        sink.request(operation, attempt.method, response?.statusCode ?: 0, Conventions.attemptErrorType(response, error), nanos)
        if (error is ThrottledException) sink.throttled(Conventions.throttleCode(error))
        // Sent bytes crossed the wire when the service answered, whatever it said; received content counts when delivered.
        if (response != null && attempt.fileBytesSent > 0) sink.fileBytes(UPLOAD, attempt.fileBytesSent)
        if (response != null && attempt.isFileDownload && response.statusCode in 200..299) sink.fileBytes(DOWNLOAD, response.bodySize)
    }

    override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) = sink.retried(Conventions.retryReason(error))

    override fun bulkChunkCompleted(size: Int, succeeded: Int, failed: Int) = sink.bulkRecords(operation, succeeded, failed)

    override fun ended(error: Throwable?) {
        val type = when {
            error == null -> null
            Conventions.isCancellation(error) -> CANCELLED
            else -> Conventions.errorType(error)
        }
        sink.operation(operation, System.nanoTime() - started, type)
    }

    companion object {
        const val UPLOAD = "upload"
        const val DOWNLOAD = "download"
        const val CANCELLED = "cancelled"
    }
}
