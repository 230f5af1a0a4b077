package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.internal.ErrorDetails
import dev.dataverse.MalformedResponseException
import dev.dataverse.RequestTimeoutException
import dev.dataverse.TlsHandshakeException
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.ErrorResponses

/**
 * The last stage: sends the attempt through the [WireTransport] within the response limits, and turns what comes back
 * into an [ApiResponse] (an error response carries its typed exception in [ApiResponse.error]) or a transport failure
 * into its typed exception. Messages never hold the token: error bodies are redacted before they are parsed.
 */
internal class WireStage(
    private val wire: WireTransport,
    private val maxResponseBytes: Long,
    private val budget: ResponseBudget,
) : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        val request = attempt.request
        val limit = minOf(maxResponseBytes, request.maxResponseBytes ?: Long.MAX_VALUE)
        // The token joins the headers here and nowhere else: the attempt's own headers are what policies see.
        val headers = attempt.token?.let { attempt.headerList + ("Authorization" to "Bearer $it") } ?: attempt.headerList
        val wireRequest = WireRequest(
            request.method.value, attempt.url, headers, request.body, attempt.timeout, request.responseBuffer, attempt.blockingCall,
        )
        val response = try {
            wire.execute(wireRequest, limit, budget)
        } catch (e: WireException) {
            throw failure(e, attempt)
        }
        response.ids = attempt.ids
        if (response.status !in 200..299) {
            // Parsed here, on the thread that waited for the exchange (never the JDK client's selector thread), and
            // redacted of the token this attempt carried as well as of every token in use.
            response.error = ErrorResponses.toException(response.status, response.headers::get, response.body, attempt.ids, attempt.token)
        }
        return response
    }

    private fun failure(e: WireException, attempt: Attempt): DataverseException {
        val what = "${attempt.method} ${LoggingStage.describe(attempt.url)}"
        val detail = Redaction.redact(e.message ?: "", attempt.token)
        val ids = attempt.ids
        return when (e.failure) {
            WireFailure.CONNECT_FAILED -> ConnectionFailedException("$what failed: $detail", e.cause ?: e, ids, sent = false)
            WireFailure.CONNECT_TIMEOUT -> RequestTimeoutException("$what failed: $detail", e.cause ?: e, ids, sent = false)
            WireFailure.TLS -> TlsHandshakeException("$what failed, nothing was sent: $detail", e.cause ?: e, ids)
            WireFailure.TIMEOUT -> RequestTimeoutException("$what timed out after ${attempt.timeout}: $detail", e.cause ?: e, ids)
            WireFailure.BROKEN -> ConnectionFailedException("$what failed: $detail", e.cause ?: e, ids)
            WireFailure.TOO_LARGE -> MalformedResponseException(ErrorDetails("$what: $detail", null, 0, null, null, ids, false, null))
        }
    }
}
