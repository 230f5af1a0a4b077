package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.AuthenticationException
import dev.dataverse.DataverseException
import dev.dataverse.HttpPolicy
import dev.dataverse.ServiceUnavailableException
import dev.dataverse.ThrottledException
import org.slf4j.LoggerFactory
import kotlin.coroutines.cancellation.CancellationException

/**
 * Adds the headers every Web API request carries, and the request's own.
 *
 * `If-None-Match: null` is the cache override Learn recommends on every request (compose-http-requests-handle-errors):
 * it is no condition, it only keeps a cached representation from being served. It goes on the requests that ask for it
 * ([ApiRequest.cacheOverride]: every GET, and file uploads), except one that carries an `If-None-Match` of its own (a
 * conditional GET with an ETag keeps its condition). This is the one place the header is added.
 */
internal class StandardHeadersStage(applicationId: String?) : Stage() {
    private val userAgent = UserAgent.build(applicationId)

    override suspend fun send(attempt: Attempt): ApiResponse {
        val request = attempt.request
        attempt.headerList.apply {
            add("Accept" to "application/json")
            add("OData-MaxVersion" to "4.0")
            add("OData-Version" to "4.0")
            add("User-Agent" to userAgent)
            add("x-ms-client-request-id" to attempt.ids.clientRequestId)
            add("x-ms-correlation-id" to attempt.ids.correlationId)
            if (request.cacheOverride && request.headers.none { it.first.equals(IF_NONE_MATCH, ignoreCase = true) }) {
                add(IF_NONE_MATCH to "null")
            }
            addAll(request.headers)
            addAll(attempt.optionHeaders)
        }
        return next.send(attempt)
    }

    private companion object {
        const val IF_NONE_MATCH = "If-None-Match"
    }
}

/**
 * Turns an error response into its typed exception, unless the request asked to read errors itself (`$batch`). A
 * throttled or unavailable service refused the whole request, whatever the request reads itself, so those are always
 * thrown: the retry loop must see them, or a throttled `$batch` would fail every operation in it without waiting.
 */
internal class StatusStage : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        val response = next.send(attempt)
        val error = response.error
        if (error != null && (!attempt.request.returnErrors || error.refusedWholeRequest())) throw error
        return response
    }

    private fun DataverseException.refusedWholeRequest() = this is ThrottledException || this is ServiceUnavailableException
}

/** Runs the user's [HttpPolicy]s, in the order they were added. */
internal class UserPoliciesStage(private val policies: List<HttpPolicy>) : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        val started = System.nanoTime()
        for (policy in policies) guarded { policy.onRequest(attempt) }
        val response = try {
            next.send(attempt)
        } catch (e: DataverseException) {
            for (policy in policies) guarded { policy.onFailure(attempt, e) }
            throw e
        }
        val view = ResponseView(response, System.nanoTime() - started)
        for (policy in policies) guarded { policy.onResponse(attempt, view) }
        return response
    }

    private inline fun guarded(block: () -> Unit) {
        try {
            block()
        } catch (e: CancellationException) {
            throw e
        } catch (e: DataverseException) {
            throw e
        } catch (e: Exception) {
            throw DataverseException("An HTTP policy failed: ${Redaction.redact(e.toString())}", e)
        }
    }
}

/** A response as policies and instrumentation see it: status, headers, size and time; never the body. */
internal class ResponseView(private val response: ApiResponse, elapsedNanos: Long) : HttpPolicy.Response {
    override val statusCode: Int get() = response.status
    override fun header(name: String): String? = response.header(name)
    override val bodySize: Long get() = response.bytes.size.toLong()
    override val elapsed: java.time.Duration = java.time.Duration.ofNanos(elapsedNanos)
}

/**
 * Acquires the bearer token for the attempt, and forgets a token the service answered 401 to. The token is kept on the
 * attempt, not in its headers: only the [WireStage] puts it on the wire request, so policies (in every callback) and
 * instrumentation, which see the attempt's headers, never see it.
 */
internal class AuthStage(private val tokens: TokenCache) : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        val token = tokens.token()
        attempt.token = token
        val response = next.send(attempt)
        if (response.status == 401) tokens.invalidate(token)
        return response
    }
}

/** Holds a permit of the adaptive concurrency limit for the exchange, and feeds the limit what the service says. */
internal class ConcurrencyStage(val concurrency: AdaptiveConcurrency) : Stage() {
    /** The service's latest recommended degree of parallelism (`x-ms-dop-hint`), once a response has carried one. */
    @Volatile
    var dopHint: Int? = null
        private set

    override suspend fun send(attempt: Attempt): ApiResponse = concurrency.withPermit {
        val response = next.send(attempt)
        response.header("x-ms-dop-hint")?.trim()?.toIntOrNull()?.takeIf { it > 0 }?.let {
            dopHint = it
            concurrency.onHint(it)
        }
        val error = response.error
        if (error == null) {
            concurrency.onSuccess()
        } else if (error.errorCode == CONCURRENCY_THROTTLE) {
            concurrency.onConcurrencyThrottled()
        }
        response
    }

    private companion object {
        const val CONCURRENCY_THROTTLE = "0x80072326"
    }
}

/** DEBUG lines for every exchange, and its bodies when asked; credentials redacted, file content never logged. */
internal class LoggingStage(private val logBodies: Boolean) : Stage() {
    override suspend fun send(attempt: Attempt): ApiResponse {
        if (!log.isDebugEnabled) return next.send(attempt)
        val started = System.nanoTime()
        val response = try {
            next.send(attempt)
        } catch (e: DataverseException) {
            log.debug("{} {} failed: {}", attempt.method, describe(attempt.url), e.message)
            throw e
        }
        log.debug(
            "{} {} -> {} in {} ms (client request id {}, correlation id {})",
            attempt.method, describe(attempt.url), response.status, (System.nanoTime() - started) / 1_000_000,
            attempt.ids.clientRequestId, attempt.ids.correlationId,
        )
        if (logBodies) logBodies(attempt, response)
        return response
    }

    private fun logBodies(attempt: Attempt, response: ApiResponse) {
        val token = attempt.token
        val sent = attempt.request.body.describe()
        log.debug("{} request body: {}", attempt.method, Redaction.redact(sent?.take(BODY_LOG_LIMIT) ?: "<none>", token))
        val responseType = response.header("Content-Type")
        // File content is not text and may be anyone's data: only its size goes to the log.
        val content = attempt.request.binaryResponse && response.status in 200..299
        val received = if (!content && (responseType == null || isText(responseType))) {
            Redaction.redact(response.bytes.decodeToString(0, minOf(response.bytes.size, BODY_LOG_LIMIT)), token)
        } else {
            "<${response.bytes.size} bytes of $responseType>"
        }
        log.debug("{} response body: {}", attempt.method, received)
    }

    private fun isText(contentType: String): Boolean =
        contentType.startsWith("application/json", ignoreCase = true) || contentType.startsWith("text/", ignoreCase = true) ||
            contentType.startsWith("multipart/", ignoreCase = true)

    companion object {
        /** The logger of the transport, named as documented for `logBodies`. */
        val log = LoggerFactory.getLogger(HttpTransport::class.java)
        const val BODY_LOG_LIMIT = 4096

        /** The URL without its query, which may hold filter values that do not belong in logs and messages. */
        fun describe(url: String): String = url.substringBefore('?')
    }
}
