package dev.dataverse.internal.transport.cio

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.transport.ResponseBudget
import dev.dataverse.internal.transport.WireException
import dev.dataverse.internal.transport.WireFailure
import dev.dataverse.internal.transport.WireRequest
import dev.dataverse.internal.transport.WireTransport
import io.ktor.network.selector.SelectorManager
import io.ktor.network.sockets.Socket
import io.ktor.network.sockets.aSocket
import io.ktor.network.sockets.connection
import io.ktor.network.sockets.openReadChannel
import io.ktor.network.sockets.openWriteChannel
import io.ktor.network.tls.tls
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import java.net.URI
import java.net.URISyntaxException
import java.nio.channels.UnresolvedAddressException
import javax.net.ssl.X509TrustManager
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * The transport of `httpEngine(HttpEngine.CIO)`: HTTP/1.1 over Ktor's coroutine sockets and TLS (`ktor-network`, the
 * layer under Ktor's CIO engine), with a keep-alive pool of its own.
 *
 * Ktor's CIO client engine itself keeps a connection alive only with pipelining on, and its pipelining closes the
 * connection's output after each request (KTOR-7009, fixed after 3.5), so on every Ktor version this library supports it
 * opens a connection per request, and over https pays a full handshake each time. This transport speaks HTTP/1.1 itself,
 * one exchange at a time per connection (never pipelined), on Ktor's sockets; Ktor's parser reads status lines and
 * headers (with its line limits).
 *
 * - A connection goes back to the pool only after a response read to its exact end (see [Http1Connection]); a failed,
 *   cancelled, timed-out or too-large exchange closes its connection, so an abandoned body is never drained.
 * - A `GET` or `HEAD` that fails on a reused connection before any byte of its answer arrived is sent once more on a new
 *   connection: the server closed the idle connection as the request went out (it cannot have been processed). Other
 *   methods are not resent here (the server may have applied them); the retry policy above decides.
 * - The connect timeout covers the TCP connection and the TLS handshake; the request timeout the whole exchange.
 * - An idle connection is kept for [idleTimeout], or less when the server's `Keep-Alive: timeout=N` says so ([KeepAlive]),
 *   and is closed when that time is up or when the server closes it, without waiting for the next call ([Http1Pool]).
 * - Nothing here starts a thread: sockets are served by one selector on `Dispatchers.IO`, connecting and TLS handshakes
 *   run there too, exchanges on whatever thread resumes them.
 */
internal class CioWireTransport(
    maxConnections: Int,
    private val connectTimeout: Duration,
    private val trustManager: X509TrustManager?,
    idleTimeout: Duration = IDLE_TIMEOUT,
) : WireTransport {
    /** Parent of the coroutines that serve open connections (TLS records) and of the pool's sweeper, cancelled on [close]. */
    private val connectionsJob = SupervisorJob()
    private val selector = SelectorManager(Dispatchers.IO)
    private val pool = Http1Pool(maxConnections, idleTimeout.inWholeNanoseconds, CoroutineScope(Dispatchers.IO + connectionsJob))

    /** Idle connections in the pool now. */
    internal val idleConnections: Int get() = pool.size

    override suspend fun execute(request: WireRequest, limit: Long, budget: ResponseBudget): ApiResponse {
        val target = Target.of(request.url)
        val head = RequestHead.encode(request, target)
        try {
            return withTimeout(request.timeout) { send(request, target, head, limit, budget) }
        } catch (e: TimeoutCancellationException) {
            throw WireException(WireFailure.TIMEOUT, "No complete response within ${request.timeout}.", e)
        }
    }

    private suspend fun send(request: WireRequest, target: Target, head: ByteArray, limit: Long, budget: ResponseBudget): ApiResponse {
        while (true) {
            val pooled = pool.take(target.origin)
            val connection = pooled ?: connect(target)
            var keep = false
            try {
                val outcome = connection.exchange(head, request.body, request.method == "HEAD", limit, budget, request.responseBuffer)
                keep = outcome.reusable
                return outcome.response
            } catch (e: CancellationException) {
                throw e
            } catch (e: WireException) {
                throw e
            } catch (e: Exception) {
                if (pooled != null && !connection.responseStarted && request.method in RESENDABLE) continue
                throw WireException(WireFailure.BROKEN, "The connection broke: ${e.message ?: e.javaClass.simpleName}", e)
            } finally {
                if (keep) pool.put(connection) else connection.close()
            }
        }
    }

    private suspend fun connect(target: Target): Http1Connection = withContext(Dispatchers.IO) {
        val socket = try {
            withTimeoutOrNull(connectTimeout) { aSocket(selector).tcp().connect(target.host, target.port) { noDelay = true } }
                ?: throw WireException(WireFailure.CONNECT_TIMEOUT, "Connecting to ${target.authority} took longer than $connectTimeout.")
        } catch (e: WireException) {
            throw e
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            val unresolved = e is UnresolvedAddressException || e is java.net.UnknownHostException
            val detail = if (unresolved) "the host name could not be resolved" else e.message ?: "connection refused"
            throw WireException(WireFailure.CONNECT_FAILED, "Connecting failed: $detail", e)
        }
        if (!target.secure) return@withContext open(socket, target)
        try {
            val secured = withTimeoutOrNull(connectTimeout) { handshake(socket, target) }
                ?: throw WireException(WireFailure.CONNECT_TIMEOUT, "The TLS handshake with ${target.authority} took longer than $connectTimeout.")
            open(secured, target)
        } catch (e: Throwable) {
            socket.close()
            if (e is WireException || e is CancellationException) throw e
            val chain = generateSequence(e) { it.cause }.take(8).toList()
            // Ktor's TLS throws the JDK's certificate path errors as they are, not wrapped in an SSLException.
            val tls = chain.any { it is javax.net.ssl.SSLException || it is java.security.GeneralSecurityException }
            throw WireException(
                if (tls) WireFailure.TLS else WireFailure.CONNECT_FAILED,
                "TLS negotiation failed: ${chain.last().message ?: e.javaClass.simpleName}",
                e,
            )
        }
    }

    private suspend fun handshake(socket: Socket, target: Target): Socket {
        val trust = trustManager
        return socket.connection().tls(Dispatchers.IO + connectionsJob) {
            if (trust != null) trustManager = trust
            serverName = target.host
        }
    }

    private fun open(socket: Socket, target: Target) =
        Http1Connection(socket, socket.openReadChannel(), socket.openWriteChannel(autoFlush = false), target.origin)

    override fun close() {
        try {
            pool.close()
        } finally {
            connectionsJob.cancel()
            selector.close()
        }
    }

    private companion object {
        /**
         * How long an idle connection is kept when the server does not say ([KeepAlive]). A guess: the service's idle
         * timeout is not documented; servers and load balancers in front of it commonly keep idle connections for a
         * minute or more, and a connection closed sooner by the server is closed here within a second of it
         * ([Http1Pool]), detected before reuse, or, for a GET that raced with the close, retried on a new one.
         */
        val IDLE_TIMEOUT: Duration = 30.seconds

        /** Methods sent again on a new connection when a reused one turns out to have been closed: they change nothing. */
        val RESENDABLE = setOf("GET", "HEAD")
    }
}

/** Where a request goes: scheme, host and port, and the request target (path and query) sent on the request line. */
internal class Target(val secure: Boolean, val host: String, val port: Int, val pathAndQuery: String) {
    /** `host:port`, with brackets around an IPv6 literal. */
    val authority: String get() = if (':' in host) "[$host]:$port" else "$host:$port"

    /** The value of the `Host` header: the port only when it is not the scheme's default. */
    val hostHeader: String get() {
        val name = if (':' in host) "[$host]" else host
        return if (port == (if (secure) 443 else 80)) name else "$name:$port"
    }

    /** The key of the connection pool. */
    val origin: String = "${if (secure) "https" else "http"}://$authority"

    companion object {
        fun of(url: String): Target {
            val uri = try {
                URI(url)
            } catch (e: URISyntaxException) {
                throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: ${e.message}", e)
            }
            val secure = when (uri.scheme?.lowercase()) {
                "https" -> true
                "http" -> false
                else -> throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: the URL is not http or https")
            }
            val host = uri.host?.removePrefix("[")?.removeSuffix("]")
                ?: throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: the URL has no host")
            val port = if (uri.port >= 0) uri.port else if (secure) 443 else 80
            val path = uri.rawPath.takeUnless { it.isNullOrEmpty() } ?: "/"
            return Target(secure, host, port, if (uri.rawQuery != null) "$path?${uri.rawQuery}" else path)
        }
    }
}

/** The request line and headers of an HTTP/1.1 request, encoded once per call (every attempt sends the same bytes). */
internal object RequestHead {
    fun encode(request: WireRequest, target: Target): ByteArray {
        val text = StringBuilder(256 + request.headers.size * 48)
        text.append(request.method).append(' ').append(target.pathAndQuery).append(" HTTP/1.1\r\n")
        text.append("Host: ").append(target.hostHeader).append("\r\n")
        for ((name, value) in request.headers) {
            if (name.equals("Host", ignoreCase = true) || name.equals("Content-Length", ignoreCase = true) ||
                name.equals("Transfer-Encoding", ignoreCase = true)
            ) {
                continue
            }
            header(text, name, value)
        }
        val body = request.body
        body.contentType?.let { header(text, "Content-Type", it) }
        val length = when (body) {
            RequestBody.None -> if (request.method in WITH_CONTENT) 0L else null
            is RequestBody.Bytes -> body.length.toLong()
            is RequestBody.Binary -> body.binary.length
        }
        if (length != null) text.append("Content-Length: ").append(length).append("\r\n")
        text.append("\r\n")
        return text.toString().toByteArray(Charsets.ISO_8859_1)
    }

    private fun header(text: StringBuilder, name: String, value: String) {
        if (name.isEmpty() || name.any { it <= ' ' || it >= '\u007f' || it in SEPARATORS }) {
            throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: invalid header name \"$name\"")
        }
        // The value is not quoted in the message: a header value may be a secret.
        if (value.any { it == '\r' || it == '\n' || it == '\u0000' || it > '\u00ff' }) {
            throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: invalid value of header $name")
        }
        text.append(name).append(": ").append(value).append("\r\n")
    }

    /** Methods whose requests carry content: without a body they declare `Content-Length: 0`, as RFC 9110 §8.6 asks. */
    private val WITH_CONTENT = setOf("POST", "PUT", "PATCH")
    private const val SEPARATORS = "()<>@,;:\\\"/[]?={}"
}
