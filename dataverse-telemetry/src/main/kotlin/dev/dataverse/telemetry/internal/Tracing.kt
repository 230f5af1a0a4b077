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
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.Tracer
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapPropagator
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * Spans for OpenTelemetry: an INTERNAL span per public call (child of the caller's current span), a CLIENT span per HTTP
 * attempt under it, with the W3C trace context of the attempt sent on the wire. Metrics, when asked for, are recorded by
 * the same observers through [metrics].
 *
 * No message of an exception is recorded: the service's messages can quote the values a request carried. Errors are
 * recorded by type, status and Dataverse error code.
 */
internal class TracingInstrumentation(
    private val tracer: Tracer,
    private val propagator: TextMapPropagator,
    private val metrics: MetricsInstrumentation?,
) : DataverseInstrumentation {
    override fun bind(client: InstrumentedClient): ClientObserver = TracingClientObserver(client, metrics?.bind(client))

    private inner class TracingClientObserver(private val client: InstrumentedClient, private val metrics: ClientObserver?) : ClientObserver {
        override fun operationStarted(operation: OperationInfo): OperationObserver {
            val span = tracer.spanBuilder(operation.name).setSpanKind(SpanKind.INTERNAL).setParent(Context.current())
                .setAttribute(Conventions.OPERATION, operation.name)
                .setAttribute(Conventions.CORRELATION_ID, operation.correlationId)
                .setAttribute(Conventions.SERVER_ADDRESS, client.serverAddress)
                .setAttribute(Conventions.SERVER_PORT, client.serverPort.toLong())
                .apply { operation.table?.let { setAttribute(Conventions.TABLE, it) } }
                .startSpan()
            return TracingOperationObserver(span, client, metrics?.operationStarted(operation))
        }

        override fun tokenAcquired(elapsed: java.time.Duration, error: DataverseException?) {
            metrics?.tokenAcquired(elapsed, error)
        }

        override fun close() {
            metrics?.close()
        }
    }

    private inner class TracingOperationObserver(
        private val span: Span,
        private val client: InstrumentedClient,
        private val metrics: OperationObserver?,
    ) : OperationObserver {
        private val context = Context.current().with(span)

        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
            val builder = tracer.spanBuilder(attempt.method).setSpanKind(SpanKind.CLIENT).setParent(context)
                .setAttribute(Conventions.HTTP_METHOD, attempt.method)
                .setAttribute(Conventions.URL_FULL, UrlRedaction.redact(attempt.url))
                .setAttribute(Conventions.SERVER_ADDRESS, client.serverAddress)
                .setAttribute(Conventions.SERVER_PORT, client.serverPort.toLong())
                .setAttribute(Conventions.ATTEMPT, attempt.attempt.toLong())
                .setAttribute(Conventions.CLIENT_REQUEST_ID, attempt.clientRequestId)
                .setAttribute(Conventions.CORRELATION_ID, attempt.correlationId)
            if (attempt.attempt > 1) builder.setAttribute(Conventions.HTTP_RESEND_COUNT, (attempt.attempt - 1).toLong())
            if (attempt.bulkChunkSize > 0) builder.setAttribute(Conventions.BULK_CHUNK_SIZE, attempt.bulkChunkSize.toLong())
            val attemptSpan = builder.startSpan()
            propagator.inject(context.with(attemptSpan), attempt, HeaderSetter)
            val measured = metrics?.attemptStarted(attempt)
            return AttemptObserver { response, error ->
                measured?.ended(response, error)
                endAttempt(attemptSpan, response, error)
            }
        }

        private fun endAttempt(span: Span, response: HttpPolicy.Response?, error: DataverseException?) {
            if (response != null) {
                span.setAttribute(Conventions.HTTP_STATUS, response.statusCode.toLong())
                Conventions.serviceRequestId(response)?.let { span.setAttribute(Conventions.SERVICE_REQUEST_ID, it) }
            }
            error?.errorCode?.let { span.setAttribute(Conventions.ERROR_CODE, it) }
            Conventions.attemptErrorType(response, error)?.let {
                span.setAttribute(Conventions.ERROR_TYPE, it)
                span.setStatus(StatusCode.ERROR)
            }
            span.end()
        }

        override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {
            metrics?.retryScheduled(attempt, delay, error)
            val attributes = Attributes.builder()
                .put(Conventions.ATTEMPT, attempt.toLong())
                .put(Conventions.RETRY_DELAY_MS, delay.toMillis())
                .put(Conventions.RETRY_REASON, Conventions.retryReason(error))
                .put(Conventions.ERROR_TYPE, Conventions.errorType(error))
            if (error.statusCode > 0) attributes.put(Conventions.HTTP_STATUS, error.statusCode.toLong())
            error.errorCode?.let { attributes.put(Conventions.ERROR_CODE, it) }
            span.addEvent(if (error is ThrottledException) Conventions.EVENT_THROTTLED else Conventions.EVENT_RETRY, attributes.build())
        }

        override fun bulkChunkCompleted(size: Int, succeeded: Int, failed: Int) {
            metrics?.bulkChunkCompleted(size, succeeded, failed)
            span.addEvent(
                Conventions.EVENT_BULK_CHUNK,
                Attributes.of(CHUNK_SIZE, size.toLong(), SUCCEEDED, succeeded.toLong(), FAILED, failed.toLong()),
            )
        }

        override fun ended(error: Throwable?) {
            metrics?.ended(error)
            when {
                error == null -> {}
                Conventions.isCancellation(error) -> span.setAttribute(Conventions.CANCELLED, true)
                else -> {
                    val type = Conventions.errorType(error)
                    span.setAttribute(Conventions.ERROR_TYPE, type)
                    span.setStatus(StatusCode.ERROR)
                    if (error is DataverseException) {
                        span.setAttribute(Conventions.ATTEMPTS, error.attempts.toLong())
                        if (error.statusCode > 0) span.setAttribute(Conventions.HTTP_STATUS, error.statusCode.toLong())
                        error.errorCode?.let { span.setAttribute(Conventions.ERROR_CODE, it) }
                    }
                    // The exception event of the conventions, without exception.message: see the class comment.
                    span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, type))
                }
            }
            span.end()
        }
    }

    private object HeaderSetter : TextMapSetter<AttemptInfo> {
        override fun set(carrier: AttemptInfo?, key: String, value: String) {
            carrier?.setHeader(key, value)
        }
    }

    private companion object {
        val CHUNK_SIZE: AttributeKey<Long> = AttributeKey.longKey(Conventions.BULK_CHUNK_SIZE)
        val SUCCEEDED: AttributeKey<Long> = AttributeKey.longKey(Conventions.BULK_SUCCEEDED)
        val FAILED: AttributeKey<Long> = AttributeKey.longKey(Conventions.BULK_FAILED)
        val EXCEPTION_TYPE: AttributeKey<String> = AttributeKey.stringKey("exception.type")
    }
}
