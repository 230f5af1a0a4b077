package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.internal.ClientSettings
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpPolicy
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.cancellation.CancellationException

/**
 * The client's side of its [DataverseInstrumentation]s: binds them once, fans every event out to all of them, and
 * keeps a failing observer from failing a call. Only exists when the client was built with instrumentation, so an
 * uninstrumented client pays nothing.
 */
internal class Instrumented(instrumentations: List<DataverseInstrumentation>, client: InstrumentedClient) {
    private val observers: List<ClientObserver> = instrumentations.mapNotNull { guarded { it.bind(client) } }

    fun operationStarted(operation: OperationInfo): OperationObserver? {
        val started = observers.mapNotNull { guarded { it.operationStarted(operation) } }
        return when (started.size) {
            0 -> null
            1 -> started[0]
            else -> FanOut(started)
        }
    }

    fun tokenAcquired(elapsed: java.time.Duration, error: DataverseException?) {
        for (observer in observers) guarded { observer.tokenAcquired(elapsed, error) }
    }

    fun close() {
        for (observer in observers) guarded { observer.close() }
    }

    private class FanOut(private val operations: List<OperationObserver>) : OperationObserver {
        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
            val attempts = operations.mapNotNull { guarded { it.attemptStarted(attempt) } }
            return AttemptObserver { response, error -> for (each in attempts) guarded { each.ended(response, error) } }
        }

        override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {
            for (each in operations) guarded { each.retryScheduled(attempt, delay, error) }
        }

        override fun bulkChunkCompleted(size: Int, succeeded: Int, failed: Int) {
            for (each in operations) guarded { each.bulkChunkCompleted(size, succeeded, failed) }
        }

        override fun ended(error: Throwable?) {
            for (each in operations) guarded { each.ended(error) }
        }
    }

    companion object {
        /** Runs an observer's callback; a failure is logged, never thrown: telemetry must not fail a call. */
        inline fun <T> guarded(block: () -> T): T? = try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            LoggingStage.log.warn("A Dataverse instrumentation callback failed: {}", Redaction.redact(e.toString()))
            null
        }
    }
}

/**
 * Reports each attempt to its operation's observer and carries the W3C trace context (set by the observer) to the wire.
 * It sits after the concurrency stage, so an attempt's time is the exchange's, not its wait for a permit.
 */
internal class TelemetryStage : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        val operation = attempt.observer ?: return next.send(attempt)
        val observer = Instrumented.guarded { operation.attemptStarted(AttemptView(attempt)) } ?: return next.send(attempt)
        val started = System.nanoTime()
        val response = try {
            next.send(attempt)
        } catch (e: DataverseException) {
            Instrumented.guarded { observer.ended(null, e) }
            throw e
        } catch (e: CancellationException) {
            Instrumented.guarded { observer.ended(null, null) }
            throw e
        }
        Instrumented.guarded { observer.ended(ResponseView(response, System.nanoTime() - started), response.error) }
        return response
    }

    private class AttemptView(private val inner: Attempt) : AttemptInfo, HttpPolicy.Request by inner {
        override val bulkChunkSize: Int get() = inner.bulkChunkSize
        override val fileBytesSent: Long get() = inner.request.fileBytes
        override val isFileDownload: Boolean get() = inner.request.binaryResponse
    }
}

/** Marks the requests of one bulk chunk, so that their attempts report the chunk's size. */
internal class BulkChunk(val size: Int) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<BulkChunk>
}

/** What instrumentation reads about the client, live. */
internal class ClientView(settings: ClientSettings, private val concurrency: AdaptiveConcurrency) : InstrumentedClient {
    override val environmentUrl: String = settings.environmentUrl.value
    override val serverAddress: String = settings.environmentUrl.host
    override val serverPort: Int = settings.environmentUrl.port

    override val concurrencyLimit: Int get() = concurrency.current()
    override val requestsInFlight: Int get() = concurrency.inFlightNow()
}
