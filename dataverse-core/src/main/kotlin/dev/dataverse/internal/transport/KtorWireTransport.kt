package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.BinaryBody
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.protocol.ResponseHeaders
import io.ktor.client.HttpClient
import io.ktor.client.engine.HttpClientEngine
import io.ktor.client.network.sockets.ConnectTimeoutException
import io.ktor.client.plugins.HttpRequestTimeoutException
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.plugins.timeout
import io.ktor.client.request.header
import io.ktor.client.request.prepareRequest
import io.ktor.client.request.setBody
import io.ktor.client.request.url
import io.ktor.client.statement.bodyAsChannel
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.http.content.OutgoingContent
import io.ktor.http.contentLength
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.readAvailable
import io.ktor.utils.io.writeFully
import java.io.IOException
import java.net.ConnectException
import java.net.SocketTimeoutException
import java.nio.channels.UnresolvedAddressException
import kotlin.coroutines.cancellation.CancellationException

/**
 * A wire transport on a Ktor client engine that a test supplies (Ktor's `MockEngine`), for exact control of responses.
 * `httpEngine(HttpEngine.CIO)` does not use it: Ktor's CIO client engine opens a connection per request on the Ktor
 * versions supported (see [dev.dataverse.internal.transport.cio.CioWireTransport]).
 */
internal class KtorWireTransport(private val http: HttpClient) : WireTransport {

    override suspend fun execute(request: WireRequest, limit: Long, budget: ResponseBudget): ApiResponse {
        val accumulators = ArrayList<BodyAccumulator>(1)
        try {
            return http.prepareRequest {
                method = HttpMethod.parse(request.method)
                url(request.url)
                timeout { requestTimeoutMillis = request.timeout.inWholeMilliseconds.coerceAtLeast(1) }
                for ((name, value) in request.headers) header(name, value)
                when (val body = request.body) {
                    RequestBody.None -> Unit
                    is RequestBody.Bytes -> setBody(BytesContent(body))
                    is RequestBody.Binary -> setBody(BinaryContent(body.binary))
                }
            }.execute { response ->
                val target = request.responseBuffer?.takeIf { response.status.value in 200..299 }
                val accumulator = BodyAccumulator(limit, budget, response.contentLength(), target).also { accumulators += it }
                val channel = response.bodyAsChannel()
                val buffer = ByteArray(READ_BUFFER)
                while (true) {
                    val count = channel.readAvailable(buffer, 0, buffer.size)
                    if (count < 0) break
                    accumulator.append(buffer, 0, count)
                }
                ApiResponse(response.status.value, KtorHeaders(response.headers), Body(accumulator.toByteArray(), 0, accumulator.length.toInt()))
            }
        } catch (e: CancellationException) {
            throw e
        } catch (e: WireException) {
            throw e
        } catch (e: Exception) {
            throw classify(e)
        } finally {
            accumulators.forEach { it.release() }
        }
    }

    private fun classify(error: Exception): WireException {
        val chain = generateSequence<Throwable>(error) { it.cause }.take(8).toList()
        val detail = error.message ?: error.javaClass.simpleName
        return when {
            chain.any { it is ConnectTimeoutException } -> WireException(WireFailure.CONNECT_TIMEOUT, "Connecting timed out: $detail", error)
            chain.any { it is HttpRequestTimeoutException || it is SocketTimeoutException } ->
                WireException(WireFailure.TIMEOUT, "No response within the request timeout: $detail", error)
            // Ktor's TLS throws the JDK's certificate path errors as they are, not wrapped in an SSLException. Another
            // SSLException can end an exchange whose request went out: it is a broken connection, not a failed handshake.
            chain.any { it is javax.net.ssl.SSLHandshakeException || it is java.security.GeneralSecurityException } ->
                WireException(WireFailure.TLS, "TLS negotiation failed: ${chain.last().message ?: detail}", error)
            chain.any { it is ConnectException || it is UnresolvedAddressException || it is java.net.UnknownHostException } ->
                WireException(WireFailure.CONNECT_FAILED, "Connecting failed: $detail", error)
            chain.any { it is IOException } -> WireException(WireFailure.BROKEN, "The connection broke: $detail", error)
            else -> WireException(WireFailure.BROKEN, "The exchange failed: $detail", error)
        }
    }

    override fun close() = http.close()

    companion object {
        private const val READ_BUFFER = 16 * 1024

        /** Any Ktor engine, e.g. Ktor's MockEngine in tests. */
        fun of(engine: HttpClientEngine, connectTimeoutMillis: Long): KtorWireTransport =
            KtorWireTransport(HttpClient(engine) { configure(connectTimeoutMillis) })

        private fun io.ktor.client.HttpClientConfig<*>.configure(connectTimeoutMillis: Long) {
            expectSuccess = false
            // A redirect would carry the bearer token to wherever the Location points: never follow one.
            followRedirects = false
            install(HttpTimeout) { this.connectTimeoutMillis = connectTimeoutMillis }
        }
    }
}

/** Ktor's headers, which look names up ignoring case. */
private class KtorHeaders(private val headers: io.ktor.http.Headers) : ResponseHeaders {
    override fun get(name: String): String? = headers[name]

    override fun all(): Map<String, List<String>> = headers.entries().associate { it.key to it.value }
}

/**
 * Sends encoded text. [RequestBody.Bytes] may be a writer's buffer, longer than its content: Ktor's byte-array content
 * wants the exact array, so only then is it copied (Ktor engines are the alternative transport and tests' mock engine).
 */
private class BytesContent(private val body: RequestBody.Bytes) : OutgoingContent.ByteArrayContent() {
    override val contentType: ContentType = ContentType.parse(body.contentType)
    override val contentLength: Long = body.length.toLong()

    override fun bytes(): ByteArray = if (body.length == body.bytes.size) body.bytes else body.bytes.copyOf(body.length)
}

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
