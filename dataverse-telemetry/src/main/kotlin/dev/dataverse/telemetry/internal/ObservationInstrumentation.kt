package dev.dataverse.telemetry.internal

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import dev.dataverse.ThrottledException
import dev.dataverse.telemetry.DataverseObservedException
import dev.dataverse.telemetry.DataverseOperationContext
import dev.dataverse.telemetry.DataverseOperationConvention
import dev.dataverse.telemetry.DataverseRequestContext
import dev.dataverse.telemetry.DataverseRequestConvention
import dev.dataverse.telemetry.DefaultDataverseOperationConvention
import dev.dataverse.telemetry.DefaultDataverseRequestConvention
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationRegistry

/**
 * Observations for the Micrometer Observation API: one per public call, started as a child of the registry's current
 * observation, and one per HTTP attempt, a child of its call's. The call's scope is opened only around an attempt's
 * start, and closed at once on the same thread: the callbacks come from whatever thread runs the call, and a scope must
 * be closed on the thread that opened it.
 */
internal class ObservationInstrumentation(
    private val registry: ObservationRegistry,
    private val operationConvention: DataverseOperationConvention?,
    private val requestConvention: DataverseRequestConvention?,
) : DataverseInstrumentation {
    override fun bind(client: InstrumentedClient): ClientObserver = ClientObservations(client)

    private inner class ClientObservations(private val client: InstrumentedClient) : ClientObserver {
        override fun operationStarted(operation: OperationInfo): OperationObserver {
            val context = DataverseOperationContext(operation, client.serverAddress, client.serverPort)
            val observation = Observation.createNotStarted(operationConvention, DEFAULT_OPERATION, { context }, registry)
                .parentObservation(registry.currentObservation)
                .start()
            return OperationObservation(observation, context, operation, client)
        }
    }

    private inner class OperationObservation(
        private val observation: Observation,
        private val context: DataverseOperationContext,
        private val operation: OperationInfo,
        private val client: InstrumentedClient,
    ) : OperationObserver {
        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
            val requestContext = DataverseRequestContext(attempt, operation, client.serverAddress, client.serverPort, client.environmentUrl)
            val request = Observation.createNotStarted(requestConvention, DEFAULT_REQUEST, { requestContext }, registry)
                .parentObservation(observation)
            // Started inside the call's scope: a tracing handler parents a new span on the thread's current span when it
            // differs from the parent observation's (Micrometer Tracing does), and without this scope the current span
            // would be the caller's (a server request's), making the attempt a sibling of its call.
            observation.openScope().use { request.start() }
            return AttemptObserver { response, error ->
                response?.let(requestContext::setResponse)
                requestContext.failure = error
                if (error != null) request.error(DataverseObservedException.of(error))
                request.stop()
            }
        }

        override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {
            val event = if (error is ThrottledException) THROTTLED else RETRY
            observation.event(Observation.Event.of(event, "$event after attempt $attempt: ${Conventions.retryReason(error)}, waiting ${delay.toMillis()} ms"))
        }

        override fun bulkChunkCompleted(size: Int, succeeded: Int, failed: Int) {
            observation.event(Observation.Event.of(BULK_CHUNK, "bulk chunk of $size: $succeeded succeeded, $failed failed"))
        }

        override fun ended(error: Throwable?) {
            when {
                error == null -> context.outcome = SUCCESS
                Conventions.isCancellation(error) -> context.outcome = CANCELLED
                else -> {
                    context.outcome = ERROR
                    context.failure = error
                    observation.error(DataverseObservedException.of(error))
                }
            }
            observation.stop()
        }
    }

    private companion object {
        val DEFAULT_OPERATION = DefaultDataverseOperationConvention()
        val DEFAULT_REQUEST = DefaultDataverseRequestConvention()
        const val SUCCESS = "success"
        const val ERROR = "error"
        const val CANCELLED = "cancelled"
        const val RETRY = "retry"
        const val THROTTLED = "throttled"
        const val BULK_CHUNK = "bulk.chunk"
    }
}
