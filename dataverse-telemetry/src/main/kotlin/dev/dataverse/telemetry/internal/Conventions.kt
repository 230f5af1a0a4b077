package dev.dataverse.telemetry.internal

import dev.dataverse.AuthenticationException
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.HttpPolicy
import dev.dataverse.RequestTimeoutException
import dev.dataverse.ServiceUnavailableException
import dev.dataverse.ThrottledException
import java.util.concurrent.CancellationException

/**
 * Names and value mappings shared by the tracing and the metrics: the OpenTelemetry semantic conventions for HTTP
 * clients (https://opentelemetry.io/docs/specs/semconv/http/http-spans/) where they apply, `dataverse.*` for the rest,
 * following the Azure SDK's tracing conventions (https://azure.github.io/azure-sdk/distributed_tracing_conventions.html):
 * an INTERNAL span per public call, named `namespace.method`, with a CLIENT span per HTTP attempt under it.
 */
internal object Conventions {
    const val SCOPE = "dev.dataverse.client"

    const val HTTP_METHOD = "http.request.method"
    const val HTTP_STATUS = "http.response.status_code"
    const val HTTP_RESEND_COUNT = "http.request.resend_count"
    const val URL_FULL = "url.full"
    const val SERVER_ADDRESS = "server.address"
    const val SERVER_PORT = "server.port"
    const val ERROR_TYPE = "error.type"

    const val OPERATION = "dataverse.operation"
    const val TABLE = "dataverse.table"
    const val CORRELATION_ID = "dataverse.correlation_id"
    const val CLIENT_REQUEST_ID = "dataverse.client_request_id"
    const val SERVICE_REQUEST_ID = "dataverse.service_request_id"
    const val ATTEMPT = "dataverse.attempt"
    const val ATTEMPTS = "dataverse.attempts"
    const val ERROR_CODE = "dataverse.error_code"
    const val BULK_CHUNK_SIZE = "dataverse.bulk.chunk_size"
    const val BULK_SUCCEEDED = "dataverse.bulk.succeeded"
    const val BULK_FAILED = "dataverse.bulk.failed"
    const val RETRY_REASON = "dataverse.retry.reason"
    const val RETRY_DELAY_MS = "dataverse.retry.delay_ms"
    const val CANCELLED = "dataverse.cancelled"
    const val OUTCOME = "outcome"
    const val DIRECTION = "direction"

    /** The value of a key that does not apply (no error), and of one not known yet (a call still running). */
    const val VALUE_NONE = "none"
    const val VALUE_UNKNOWN = "unknown"

    const val EVENT_RETRY = "dataverse.retry"
    const val EVENT_THROTTLED = "dataverse.throttled"
    const val EVENT_BULK_CHUNK = "dataverse.bulk.chunk"

    /** `error.type` of a failed call or attempt without a status to name it: the exception's class, as semconv says. */
    fun errorType(error: Throwable): String = error.javaClass.name

    /** `error.type` of an attempt: its status code when the service answered with an error, else the exception's class. */
    fun attemptErrorType(response: HttpPolicy.Response?, error: DataverseException?): String? = when {
        response != null && response.statusCode >= 400 -> response.statusCode.toString()
        error != null -> errorType(error)
        else -> null
    }

    fun isCancellation(error: Throwable?): Boolean = error is CancellationException

    /** Why a request was retried, as a low-cardinality value for metrics and events. */
    fun retryReason(error: DataverseException): String = when (error) {
        is ThrottledException -> "throttled"
        is ServiceUnavailableException -> "service_unavailable"
        is ConnectionFailedException -> "connection_failed"
        is RequestTimeoutException -> "timeout"
        is AuthenticationException -> "token_refresh"
        else -> "other"
    }

    /** The code a throttle is counted by: the service-protection error code, else the HTTP status. */
    fun throttleCode(error: ThrottledException): String = error.errorCode ?: error.statusCode.toString()

    /** The service's id of a request (Learn: the SDK reads `x-ms-service-request-id`, else `REQ_ID`, else `x-ms-request-id`). */
    fun serviceRequestId(response: HttpPolicy.Response): String? =
        response.header("x-ms-service-request-id") ?: response.header("REQ_ID") ?: response.header("x-ms-request-id")
}
