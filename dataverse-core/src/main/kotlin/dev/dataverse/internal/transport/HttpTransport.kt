package dev.dataverse.internal.transport

import dev.dataverse.AuthenticationException
import dev.dataverse.ClientClosedException
import dev.dataverse.ClientSettings
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.RequestIds
import dev.dataverse.RequestTimeoutException
import dev.dataverse.internal.protocol.BinaryPiece
import dev.dataverse.internal.protocol.ErrorResponses
import io.ktor.client.HttpClient
import io.ktor.client.engine.HttpClientEngine
import io.ktor.client.engine.cio.CIO
import io.ktor.client.engine.java.Java
import dev.dataverse.HttpEngine
import kotlin.time.toJavaDuration
import io.ktor.client.plugins.HttpRequestTimeoutException
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.request.header
import io.ktor.client.request.prepareRequest
import io.ktor.client.request.setBody
import io.ktor.client.request.url
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsChannel
import io.ktor.http.contentLength
import io.ktor.utils.io.readRemaining
import kotlinx.io.readByteArray
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.http.HttpHeaders
import io.ktor.http.content.OutgoingContent
import io.ktor.http.content.TextContent
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.exhausted
import io.ktor.utils.io.readFully
import io.ktor.utils.io.writeFully
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import org.slf4j.LoggerFactory
import java.net.SocketTimeoutException
import java.util.UUID
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.TimeSource

/**
 * Sends a [BinaryBody] from its array, in slices: the channel copies what it is given into buffers of its own until the
 * engine takes it, so writing a whole chunk at once would hold it in memory twice.
 */
private class BinaryContent(private val body: BinaryBody) : OutgoingContent.WriteChannelContent() {
    override val contentType: ContentType = ContentType.parse(body.contentType)
    override val contentLength: Long = body.length

    override suspend fun writeTo(channel: ByteWriteChannel) {
        var written = 0L
        for (piece in body.pieces()) {
            var offset = piece.offset
            val end = piece.offset + piece.length
            while (offset < end) {
                val count = minOf(WRITE_SLICE, end - offset)
                channel.writeFully(piece.bytes, offset, offset + count)
                channel.flush()
                offset += count
            }
            written += piece.length
        }
        check(written == body.length) { "The body wrote $written bytes, not the declared ${body.length}" }
    }

    private companion object {
        const val WRITE_SLICE = 64 * 1024
    }
}

/** One HTTP request to the Web API. [target] is relative to the API root, or an absolute URL on the environment. */
internal class ApiRequest(
    val method: HttpMethod,
    val target: String,
    val headers: List<Pair<String, String>> = emptyList(),
    val jsonBody: String? = null,
    /** A non-JSON body and its content type, e.g. a `$batch` multipart body. */
    val rawBody: Pair<String, ContentType>? = null,
    /** A binary body, e.g. one chunk of a file upload. */
    val binaryBody: BinaryBody? = null,
    /**
     * A tighter bound than [dev.dataverse.DataverseClient.Builder.maxResponseBytes] for this response's body, e.g. the
     * size of the requested range of a file download.
     */
    val maxResponseBytes: Long? = null,
    /** The response body is file content: logs name its size, never its bytes, whatever its content type. */
    val binaryResponse: Boolean = false,
    /** Return error responses instead of throwing, for callers that parse them themselves (`$batch`). */
    val returnErrors: Boolean = false,
    /**
     * Whether sending the request again is safe even if an attempt that failed in flight was applied. True for reads and
     * for writes made replay-safe by their caller (client-assigned ids, unconditional updates); false for the rest.
     */
    val idempotent: Boolean = method != HttpMethod.Post,
)

/**
 * A binary request body of [length] bytes of [contentType]: its [pieces] are produced again for every attempt, so a
 * retry resends the same bytes, and are written one at a time, so a body need not exist in memory as a whole.
 */
internal class BinaryBody(val contentType: String, val length: Long, val pieces: () -> Sequence<BinaryPiece>) {
    override fun toString(): String = "<$length bytes of $contentType>"

    companion object {
        /**
         * The first [length] bytes of [bytes]. The array is not copied: the caller must not change it until the request
         * (with its retries) has completed, which lets one chunk buffer serve a whole upload.
         */
        fun of(bytes: ByteArray, length: Int, contentType: String): BinaryBody {
            require(length in 0..bytes.size) { "length $length is outside the array of ${bytes.size} bytes" }
            return BinaryBody(contentType, length.toLong()) { sequenceOf(BinaryPiece(bytes, 0, length)) }
        }
    }
}

/** A successful (2xx) response with its body read. */
internal class ApiResponse(val status: Int, private val headerLookup: (String) -> String?, val bytes: ByteArray, val ids: RequestIds) {
    /** The body as UTF-8 text (JSON responses). */
    val body: String by lazy(LazyThreadSafetyMode.NONE) { bytes.decodeToString() }

    fun header(name: String): String? = headerLookup(name)

    /** A [dev.dataverse.NotFoundException] for an answer that succeeded on the wire but found nothing, e.g. an empty `value`. */
    fun notFound(message: String): dev.dataverse.NotFoundException = dev.dataverse.NotFoundException(
        dev.dataverse.ErrorDetails(
            message = message, serviceMessage = null, statusCode = 404, errorCode = null,
            serviceRequestId = header("x-ms-service-request-id"), ids = ids, isTransient = false, retryAfter = null,
        ),
    )

    /** An earlier attempt failed in flight and may have been applied: a "duplicate" or "not found" may be its doing. */
    var afterAmbiguousAttempt: Boolean = false
}

/**
 * The HTTP edge: one Ktor client per Dataverse client, standard OData headers, authentication, request ids, and the
 * mapping of failures to typed exceptions. Exchanges run in the transport's own scope so that [close] cancels them, and
 * a cancelled caller cancels its exchange.
 */
internal class HttpTransport(
    private val settings: ClientSettings,
    /** An engine to use instead of CIO, for tests that need exact control (Ktor's MockEngine). */
    customEngine: HttpClientEngine? = null,
) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob())
    private val tokens = TokenCache(settings.tokenProvider, settings.tokenScope)
    private val userAgent = UserAgent.build(settings.applicationId)
    private val apiPrefix = settings.apiUrl + "/"

    @Volatile
    var isClosed: Boolean = false
        private set

    /** The service's latest recommended degree of parallelism (`x-ms-dop-hint`), once a response has carried one. */
    @Volatile
    var dopHint: Int? = null
        private set

    private val http: HttpClient = when {
        customEngine != null -> HttpClient(customEngine) { configure() }
        settings.httpEngine == HttpEngine.JDK -> HttpClient(Java) {
            engine {
                // Over plain http (the loopback emulator) the JDK would try an h2c upgrade, which servers may ignore.
                protocolVersion = if (settings.environmentUrl.scheme == "http") {
                    java.net.http.HttpClient.Version.HTTP_1_1
                } else {
                    java.net.http.HttpClient.Version.HTTP_2
                }
                config {
                    connectTimeout(settings.connectTimeout.toJavaDuration())
                    followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                    settings.sslContext?.let { sslContext(it) }
                }
            }
            configure()
        }
        else -> HttpClient(CIO) {
            engine {
                maxConnectionsCount = settings.maxConnections
                // The HttpTimeout plugin enforces requestTimeout; CIO's own timer (15 s by default) would be a second one.
                requestTimeout = 0
                endpoint.maxConnectionsPerRoute = settings.maxConnections
                endpoint.connectTimeout = settings.connectTimeout.inWholeMilliseconds
                endpoint.keepAliveTime = KEEP_ALIVE_MILLIS
            }
            configure()
        }
    }

    private fun io.ktor.client.HttpClientConfig<*>.configure() {
        expectSuccess = false
        // A redirect would carry the bearer token to wherever the Location points: never follow one.
        followRedirects = false
        install(HttpTimeout) {
            requestTimeoutMillis = settings.requestTimeout.inWholeMilliseconds
            connectTimeoutMillis = settings.connectTimeout.inWholeMilliseconds
        }
    }

    private val retryPolicy = RetryPolicy(settings.retry, settings.random)
    private val concurrency = AdaptiveConcurrency(settings.maxConcurrentRequests)

    /** The Web API root, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2`. */
    val apiUrl: String get() = settings.apiUrl

    /** See [dev.dataverse.DataverseClient.Builder.maxResponseBytes]. */
    val maxResponseBytes: Long get() = settings.maxResponseBytes

    /** See [dev.dataverse.DataverseClient.Builder.operationTimeout]. */
    val operationTimeout: kotlin.time.Duration? get() = settings.operationTimeout

    /**
     * Sends [request], retrying transient failures as [RetryPolicy] decides; returns a 2xx response or throws the
     * matching [DataverseException] with the number of attempts made.
     */
    suspend fun send(request: ApiRequest): ApiResponse {
        if (isClosed) throw ClientClosedException()
        val url = resolve(request.target)
        val correlationId = currentCoroutineContext()[Operation]?.correlationId ?: UUID.randomUUID().toString()
        val started = TimeSource.Monotonic.markNow()
        var attempt = 0
        var refreshedToken = false
        var ambiguous = false
        while (true) {
            attempt++
            try {
                return sendOnce(request, url, correlationId).also { it.afterAmbiguousAttempt = ambiguous }
            } catch (e: DataverseException) {
                if (e is ClientClosedException || e is InvalidInputException) throw e
                e.attempts = attempt
                e.afterAmbiguousAttempt = ambiguous
                if (e is AuthenticationException && e.statusCode == 401 && !refreshedToken) {
                    refreshedToken = true // The cached token was dropped; one more attempt with a fresh one.
                    log.debug("{} {}: 401, retrying once with a new token", request.method.value, describe(url))
                    continue
                }
                val directive = retryPolicy.decide(e, attempt, started.elapsedNow(), request.idempotent)
                if (directive !is RetryDirective.RetryAfter) throw e
                if (e.mayHaveBeenApplied) ambiguous = true
                log.debug(
                    "{} {}: attempt {} failed ({}), retrying in {}", request.method.value, describe(url), attempt, directive.reason, directive.delay,
                )
                settings.delay(directive.delay)
            }
        }
    }

    private suspend fun sendOnce(request: ApiRequest, url: String, correlationId: String): ApiResponse {
        if (isClosed) throw ClientClosedException()
        val ids = RequestIds(UUID.randomUUID().toString(), correlationId)
        // Token acquisition runs in the client's scope too, so that close() also ends a call waiting for a token.
        // Undispatched: the exchange starts on the caller's thread, saving a dispatch per request.
        val exchange = scope.async(start = CoroutineStart.UNDISPATCHED) {
            val token = tokens.token()
            concurrency.withPermit { exchange(request, url, token, ids) }
        }
        return try {
            exchange.await()
        } catch (e: CancellationException) {
            exchange.cancel()
            if (isClosed) throw ClientClosedException("The Dataverse client was closed while the request was in flight.")
            throw e
        }
    }

    private suspend fun exchange(request: ApiRequest, url: String, token: String, ids: RequestIds): ApiResponse {
        val started = System.nanoTime()
        val (status, headers, body) = try {
            http.prepareRequest {
                method = request.method
                url(url)
                header("Authorization", "Bearer $token")
                header("Accept", "application/json")
                header("OData-MaxVersion", "4.0")
                header("OData-Version", "4.0")
                header("User-Agent", userAgent)
                header("x-ms-client-request-id", ids.clientRequestId)
                header("x-ms-correlation-id", ids.correlationId)
                request.headers.forEach { (name, value) -> header(name, value) }
                request.jsonBody?.let { setBody(TextContent(it, ContentType.Application.Json)) }
                request.rawBody?.let { (text, type) -> setBody(TextContent(text, type)) }
                request.binaryBody?.let { setBody(BinaryContent(it)) }
            }.execute { response -> Triple(response.status.value, response.headers, readBody(response, request)) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: MalformedResponseException) {
            throw e
        } catch (e: HttpRequestTimeoutException) {
            throw RequestTimeoutException("${request.method.value} ${describe(url)} timed out after ${settings.requestTimeout}.", e, ids)
        } catch (e: SocketTimeoutException) {
            throw RequestTimeoutException("${request.method.value} ${describe(url)} timed out: ${e.message}", e, ids)
        } catch (e: io.ktor.client.network.sockets.ConnectTimeoutException) {
            throw RequestTimeoutException("Connecting to ${settings.environmentUrl} timed out: ${e.message}", e, ids, sent = false)
        } catch (e: java.net.ConnectException) {
            throw ConnectionFailedException("Connecting to ${settings.environmentUrl} failed: ${e.message}", e, ids, sent = false)
        } catch (e: Exception) {
            if (generateSequence<Throwable>(e) { it.cause }.any { it is javax.net.ssl.SSLHandshakeException || it is java.security.GeneralSecurityException }) {
                throw ConnectionFailedException("The TLS handshake with ${settings.environmentUrl} failed: ${e.message}", e, ids, sent = false, transient = false)
            }
            throw ConnectionFailedException("${request.method.value} ${describe(url)} failed: ${e.message ?: e.javaClass.simpleName}", e, ids)
        }
        log.debug(
            "{} {} -> {} in {} ms (client request id {}, correlation id {})",
            request.method.value, describe(url), status, (System.nanoTime() - started) / 1_000_000, ids.clientRequestId, ids.correlationId,
        )
        headers["x-ms-dop-hint"]?.trim()?.toIntOrNull()?.takeIf { it > 0 }?.let {
            dopHint = it
            concurrency.onHint(it)
        }
        if (settings.logBodies) logBodies(request, status, headers[HttpHeaders.ContentType], body)
        if (status == 401) tokens.invalidate(token)
        if (status !in 200..299) {
            val error = ErrorResponses.toException(status, headers::get, body.decodeToString(), ids)
            if (error.errorCode == CONCURRENCY_THROTTLE) concurrency.onConcurrencyThrottled()
            if (!request.returnErrors) throw error
        } else {
            concurrency.onSuccess()
        }
        return ApiResponse(status, headers::get, body, ids)
    }

    /** Relative targets go under the API root; absolute ones (next links) must be on this environment's API. */
    private fun resolve(target: String): String {
        if (!target.startsWith("http://", ignoreCase = true) && !target.startsWith("https://", ignoreCase = true)) {
            return apiPrefix + target
        }
        if (!settings.environmentUrl.isSameOrigin(target) || !target.startsWith(apiPrefix, ignoreCase = true)) {
            throw InvalidInputException("Refusing to send credentials to ${describe(target)}: it is not under ${settings.apiUrl}.")
        }
        return target
    }

    /**
     * Reads the body, refusing more than the configured maximum (or the request's tighter one) so that a runaway
     * response cannot exhaust the heap. A declared length is read straight into an array of that size, so a file chunk
     * costs its own size and no more.
     */
    private suspend fun readBody(response: HttpResponse, request: ApiRequest): ByteArray {
        val limit = minOf(settings.maxResponseBytes, request.maxResponseBytes ?: Long.MAX_VALUE)
        val declared = response.contentLength()
        if (declared != null && declared > limit) {
            throw MalformedResponseException("The response declares $declared bytes, more than the limit of $limit bytes.")
        }
        val channel = response.bodyAsChannel()
        if (declared != null && declared <= MAX_ARRAY) {
            val bytes = ByteArray(declared.toInt())
            channel.readFully(bytes, 0, bytes.size)
            if (!channel.exhausted()) throw MalformedResponseException("The response is longer than its declared $declared bytes.")
            return bytes
        }
        val bytes = channel.readRemaining(limit + 1).readByteArray()
        if (bytes.size > limit) throw MalformedResponseException("The response is larger than the limit of $limit bytes.")
        return bytes
    }

    private fun logBodies(request: ApiRequest, status: Int, responseType: String?, responseBody: ByteArray) {
        val sent = request.jsonBody ?: request.rawBody?.first ?: request.binaryBody?.toString()
        log.debug("{} request body: {}", request.method.value, Redaction.redact(sent?.take(BODY_LOG_LIMIT) ?: "<none>"))
        // File content is not text and may be anyone's data: only its size goes to the log.
        val content = request.binaryResponse && status in 200..299
        val received = if (!content && (responseType == null || isText(responseType))) {
            Redaction.redact(responseBody.decodeToString().take(BODY_LOG_LIMIT))
        } else {
            "<${responseBody.size} bytes of $responseType>"
        }
        log.debug("{} response body: {}", request.method.value, received)
    }

    private fun isText(contentType: String): Boolean =
        contentType.startsWith("application/json", ignoreCase = true) || contentType.startsWith("text/", ignoreCase = true) ||
            contentType.startsWith("multipart/", ignoreCase = true)

    /** The URL without its query, which may hold filter values that do not belong in logs and messages. */
    private fun describe(url: String): String = url.substringBefore('?')

    override fun close() {
        if (isClosed) return
        isClosed = true
        scope.cancel(CancellationException("The Dataverse client was closed."))
        http.close()
    }

    private companion object {
        val log = LoggerFactory.getLogger(HttpTransport::class.java)
        const val KEEP_ALIVE_MILLIS = 60_000L
        const val BODY_LOG_LIMIT = 4096
        const val MAX_ARRAY = Int.MAX_VALUE - 8L
        const val CONCURRENCY_THROTTLE = "0x80072326"
    }
}
