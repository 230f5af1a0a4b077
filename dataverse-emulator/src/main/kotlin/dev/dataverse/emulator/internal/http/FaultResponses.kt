package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes

/**
 * The answers of service protection and of the faults that answer (all but latency and connection resets): the
 * service's 429 limits with `Retry-After`, 503, 504, an expired token, and bodies a client cannot read.
 */
internal object FaultResponses {
    private const val REQUESTS_MESSAGE = "Number of requests exceeded the limit of 6000 over time window of 300 seconds."
    private const val EXECUTION_TIME_MESSAGE =
        "Combined execution time of incoming requests exceeded limit of 1,200,000  milliseconds over time window of 300 seconds. " +
            "Decrease number of concurrent requests or reduce the duration of requests and try again later."

    /** The 429 of the concurrency limit: code `0x80072326` and the limit in the message. */
    fun concurrencyLimit(limit: Int, retryAfterSeconds: Int): ApiResponse =
        ApiResponse.error(throttled(ErrorCodes.THROTTLE_CONCURRENCY, concurrencyMessage(limit), retryAfterSeconds))

    /** The answer of a fault [rule] that answers instead of serving [request] ([serve] gives the real answer of a GET). */
    fun answer(rule: FaultRule, request: ApiRequest, concurrencyLimit: Int, baseUrl: String, serve: (ApiRequest) -> ApiResponse): ApiResponse =
        when (rule.kind) {
            FaultKind.THROTTLE_REQUESTS -> ApiResponse.error(throttled(ErrorCodes.THROTTLE_REQUESTS, REQUESTS_MESSAGE, rule.retryAfterSeconds))
            FaultKind.THROTTLE_EXECUTION_TIME ->
                ApiResponse.error(throttled(ErrorCodes.THROTTLE_EXECUTION_TIME, EXECUTION_TIME_MESSAGE, rule.retryAfterSeconds))
            FaultKind.THROTTLE_CONCURRENCY -> {
                val limit = concurrencyLimit.takeIf { it > 0 } ?: EmulatorOptions.DEFAULT_CONCURRENCY_LIMIT
                ApiResponse.error(throttled(ErrorCodes.THROTTLE_CONCURRENCY, concurrencyMessage(limit), rule.retryAfterSeconds))
            }
            FaultKind.SERVICE_UNAVAILABLE -> ApiResponse.error(
                ApiException(
                    503,
                    ErrorCodes.UNEXPECTED,
                    "The service is temporarily unavailable. Try again later.",
                    listOf("Retry-After" to rule.retryAfterSeconds.toString()),
                ),
            )
            FaultKind.GATEWAY_TIMEOUT ->
                ApiResponse.error(ApiException(504, ErrorCodes.UNEXPECTED, "The gateway timed out waiting for the service to answer."))
            FaultKind.EXPIRED_TOKEN -> ApiResponse.error(expiredToken(baseUrl))
            FaultKind.REQUEST_TOO_LARGE -> ApiResponse.error(
                ApiException(413, ErrorCodes.REQUEST_TOO_LARGE, "The request length is too large: the request body exceeds the size the service accepts."),
            )
            FaultKind.BAD_GATEWAY_HTML -> gatewayPage(502, "Bad Gateway")
            FaultKind.SERVICE_UNAVAILABLE_HTML -> gatewayPage(503, "Service Unavailable")
            FaultKind.GATEWAY_TIMEOUT_EMPTY -> ApiResponse(504, emptyList(), ByteArray(0), "text/plain")
            FaultKind.MALFORMED_BODY -> malformed(request, serve)
            FaultKind.LATENCY, FaultKind.RESET_BEFORE_APPLY, FaultKind.RESET_AFTER_APPLY ->
                throw IllegalArgumentException("${rule.kind} does not answer")
        }

    /**
     * Learn (reference/web-service-error-codes): errors from the gateway in front of the service often carry an HTML
     * page rather than Dataverse error JSON.
     */
    private fun gatewayPage(status: Int, title: String): ApiResponse =
        ApiResponse.text(status, "<!DOCTYPE html><html><head><title>$status $title</title></head><body><h1>$title</h1></body></html>", "text/html; charset=utf-8")

    private fun concurrencyMessage(limit: Int) = "Number of concurrent requests exceeded the limit of $limit."

    private fun throttled(code: String, message: String, retryAfterSeconds: Int) =
        ApiException(429, code, message, listOf("Retry-After" to retryAfterSeconds.toString()))

    private fun expiredToken(baseUrl: String) = ApiException(
        401,
        ErrorCodes.UNAUTHORIZED,
        "The access token has expired. Acquire a new token and send the request again.",
        listOf(
            "WWW-Authenticate" to "Bearer error=\"invalid_token\", error_description=\"The access token expired\", " +
                "authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=$baseUrl/",
        ),
    )

    /** 200 with the first half of a GET's real JSON body, or an HTML page for other methods; nothing is applied. */
    private fun malformed(request: ApiRequest, serve: (ApiRequest) -> ApiResponse): ApiResponse {
        if (request.method == "GET") {
            val real = serve(request).body ?: "{\"value\":[{\"name\":\"".toByteArray(Charsets.UTF_8)
            return ApiResponse(200, emptyList(), real.copyOf(maxOf(1, real.size / 2)), ApiResponse.JSON_CONTENT_TYPE)
        }
        val page = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>" +
            "<body><h1>Service Unavailable</h1><p>The service is temporarily unavailable.</p></body></html>"
        return ApiResponse.text(200, page, "text/html; charset=utf-8")
    }
}
