package dev.dataverse.internal.transport

import dev.dataverse.internal.BlockingCall
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.BinaryBody
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.protocol.ResponseHeaders
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.runInterruptible
import java.io.IOException
import java.net.ConnectException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpConnectTimeoutException
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.net.http.HttpTimeoutException
import java.nio.ByteBuffer
import java.nio.channels.UnresolvedAddressException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLHandshakeException
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * The default wire transport: the JDK's `java.net.http.HttpClient`, used directly.
 *
 * - Connections are pooled and kept alive by the JDK client; the pipeline's concurrency limit bounds how many are open.
 * - `https` negotiates HTTP/2 by ALPN and falls back to HTTP/1.1 when the server does not offer it; plain `http` (only
 *   allowed to loopback) speaks HTTP/1.1, without the `h2c` upgrade servers tend to ignore.
 * - Connect and request timeouts are the JDK's own. The JDK stops its request timer once the response headers arrive
 *   (JDK-8258397), so the body is bounded by a deadline of this transport's.
 * - Bodies are read by [LimitedBodySubscriber], which stops at the limit; file chunks are streamed by [PiecesPublisher].
 * - Redirects are never followed: a `Location` could point anywhere, and the token must not go with it.
 *
 * ## Threads
 * An exchange is the JDK client's blocking `send`, run on [exchanges]: a view of `Dispatchers.IO` at most
 * `maxExchanges` wide, whose threads are kept and reused, so that no call starts a thread. `sendAsync` is not used on
 * purpose: its future hops through `CompletableFuture`'s default async pool before it completes, and on a JVM that sees
 * one or two CPUs (the common pool's parallelism is then 1) that pool starts a new thread for every task — a platform
 * thread per response. `send` completes on the thread that waits in it, and body bytes are copied on the JDK client's
 * selector thread ([DIRECT] executor), which only wakes that thread. A blocked caller of the Java facades whose request
 * is its call's only one waits in `send` on its own thread instead ([dev.dataverse.internal.runBlockingCall]): no
 * hand-off to a pooled thread and back.
 *
 * Cancelling the caller interrupts the thread waiting in `send`, which makes the JDK client cancel the exchange (since
 * JDK 16 that aborts it, connection included), and cancels the body subscription, which closes an HTTP/1.1 connection
 * or resets an HTTP/2 stream mid-body.
 */
internal class JdkWireTransport(
    connectTimeout: Duration,
    http2: Boolean,
    sslContext: SSLContext?,
    /** The most exchanges in flight at once: the client's connection limit, which the pipeline enforces too. */
    maxExchanges: Int,
    executor: Executor? = DIRECT,
) : WireTransport {
    @OptIn(ExperimentalCoroutinesApi::class)
    private val exchanges: CoroutineDispatcher = Dispatchers.IO.limitedParallelism(maxExchanges)

    private val client: HttpClient = HttpClient.newBuilder()
        .connectTimeout(connectTimeout.toJavaDuration())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(if (http2) HttpClient.Version.HTTP_2 else HttpClient.Version.HTTP_1_1)
        .apply { if (sslContext != null) sslContext(sslContext) }
        .apply { if (executor != null) executor(executor) }
        .build()

    override suspend fun execute(request: WireRequest, limit: Long, budget: ResponseBudget): ApiResponse {
        val builder = HttpRequest.newBuilder(URI(request.url)).timeout(request.timeout.toJavaDuration())
        for ((name, value) in request.headers) builder.header(name, value)
        request.body.contentType?.let { builder.header("Content-Type", it) }
        // GET() rather than method("GET", noBody()), which sends a needless `Content-Length: 0` (so does GET() before
        // JDK 19: JDK-8283544).
        if (request.method == "GET" && request.body == RequestBody.None) builder.GET() else builder.method(request.method, publisher(request.body))
        val jdkRequest = try {
            builder.build()
        } catch (e: IllegalArgumentException) {
            throw WireException(WireFailure.CONNECT_FAILED, "The request could not be built: ${e.message}", e)
        }
        val handler = LimitedBodyHandler(limit, budget, request.responseBuffer)
        try {
            val caller = request.blockingCall?.takeIf { it.isCurrentThread }
            return if (caller != null) send(jdkRequest, handler, request.timeout, caller) else dispatch(jdkRequest, handler, request.timeout)
        } finally {
            handler.release()
        }
    }

    /** Waits for the exchange on one of [exchanges]' threads; cancelling the caller interrupts that thread. */
    private suspend fun dispatch(request: HttpRequest, handler: LimitedBodyHandler, timeout: Duration): ApiResponse = try {
        runInterruptible(exchanges) { send(request, handler, timeout, caller = null) }
    } catch (e: CancellationException) {
        handler.abort()
        throw e
    }

    /**
     * The JDK client's blocking `send`, on the current thread: a pooled one, or the thread of the blocked [caller] itself
     * (then the exchange costs one thread hand-off, the selector's wake-up, as the JDK client used alone does). The wait is
     * a [HeldExchange]: the exchange's deadline (the JDK's own request timeout stops at the response head, JDK-8258397) and
     * [close] interrupt it, with no timer of the coroutine machinery per request. Another interrupt is the caller's: a
     * blocked caller's call is cancelled ([BlockingCall.interrupt]); on a pooled thread it is the caller's cancellation,
     * which `runInterruptible` reports.
     */
    private fun send(request: HttpRequest, handler: LimitedBodyHandler, timeout: Duration, caller: BlockingCall?): ApiResponse {
        val held = HeldExchange(this, System.nanoTime() + timeout.inWholeNanoseconds)
        HeldExchanges.add(held)
        if (closed) held.abort(HeldExchange.Reason.CLOSED) // a close that ran before the exchange was listed
        var failure: Exception? = null
        val response = try {
            client.send(request, handler)
        } catch (e: InterruptedException) {
            failure = e
            null
        } catch (e: IOException) {
            failure = e
            null
        } catch (e: IllegalArgumentException) {
            failure = e
            null
        }
        HeldExchanges.remove(held)
        val abort = held.finish()
        if (response != null) {
            return ApiResponse(response.statusCode(), JdkHeaders(response.headers()), Body(response.body(), 0, handler.length()))
        }
        handler.abort()
        throw when {
            abort == HeldExchange.Reason.DEADLINE -> WireException(WireFailure.TIMEOUT, "No complete response within $timeout.", failure)
            // The client's scope is cancelled too: the attempt ends as the client's close, like any other in flight.
            abort == HeldExchange.Reason.CLOSED -> CancellationException("The Dataverse client was closed.")
            failure is InterruptedException && caller != null -> {
                caller.interrupt()
                CancellationException("The thread waiting for Dataverse was interrupted.")
            }
            failure is InterruptedException -> failure
            failure is IllegalArgumentException -> WireException(WireFailure.CONNECT_FAILED, "The request was refused: ${failure.message}", failure)
            else -> classify(failure!!)
        }
    }

    private fun publisher(body: RequestBody): HttpRequest.BodyPublisher = when (body) {
        RequestBody.None -> HttpRequest.BodyPublishers.noBody()
        is RequestBody.Bytes -> HttpRequest.BodyPublishers.ofByteArray(body.bytes, 0, body.length)
        is RequestBody.Binary -> if (body.binary.length == 0L) {
            HttpRequest.BodyPublishers.ofByteArray(ByteArray(0))
        } else {
            HttpRequest.BodyPublishers.fromPublisher(PiecesPublisher(body.binary), body.binary.length)
        }
    }

    /**
     * Maps what the JDK client throws to a [WireFailure], by the first cause that says what happened. `send` wraps the
     * exchange's failure in a new exception of a similar type, with the original as its cause.
     */
    private fun classify(error: Throwable): WireException {
        val chain = generateSequence(error) { it.cause }.take(8).toList()
        chain.firstOrNull { it is WireException }?.let { return it as WireException }
        val detail = error.message ?: error.javaClass.simpleName
        return when {
            chain.any { it is HttpConnectTimeoutException } -> WireException(WireFailure.CONNECT_TIMEOUT, "Connecting timed out: $detail", error)
            chain.any { it is HttpTimeoutException } -> WireException(WireFailure.TIMEOUT, "No response within the request timeout: $detail", error)
            // Only a failed handshake means nothing was sent; another SSLException can end an exchange whose request
            // went out (a connection closed mid-response), so it is a broken connection like any other.
            chain.any { it is SSLHandshakeException || it is java.security.GeneralSecurityException } ->
                WireException(WireFailure.TLS, "TLS negotiation failed: ${chain.last().message ?: detail}", error)
            chain.any { it is ConnectException || it is UnresolvedAddressException || it is java.net.UnknownHostException } ->
                WireException(WireFailure.CONNECT_FAILED, "Connecting failed: ${describeConnect(chain)}", error)
            chain.any { it is IOException } -> WireException(WireFailure.BROKEN, "The connection broke: $detail", error)
            else -> WireException(WireFailure.BROKEN, "The exchange failed: $detail", error)
        }
    }

    private fun describeConnect(chain: List<Throwable>): String =
        if (chain.any { it is UnresolvedAddressException || it is java.net.UnknownHostException }) {
            "the host name could not be resolved"
        } else {
            chain.firstNotNullOfOrNull { it.message } ?: "connection refused"
        }

    @Volatile
    private var closed = false

    /**
     * Ends the exchanges held on callers' threads; those on pooled threads end with the client's scope. The JDK client has
     * no close before JDK 21: its connections close when idle or when it is collected.
     */
    override fun close() {
        closed = true
        HeldExchanges.abortAll(this)
    }

    companion object {
        /** Runs completions on the thread that completes them: the JDK client's selector thread. */
        val DIRECT: Executor = Executor { it.run() }
    }
}

/** The JDK client's headers, which look names up ignoring case. */
private class JdkHeaders(private val headers: java.net.http.HttpHeaders) : ResponseHeaders {
    // The map is ordered ignoring case; a direct lookup spares firstValue's stream for each header read.
    override fun get(name: String): String? = headers.map()[name]?.firstOrNull()

    override fun all(): Map<String, List<String>> = headers.map()
}

/**
 * Creates one [LimitedBodySubscriber] for the response and keeps it, so that a cancelled call can abort it. A 2xx body
 * goes into [target] when there is one.
 */
private class LimitedBodyHandler(
    private val limit: Long,
    private val budget: ResponseBudget,
    private val target: ByteArray?,
) : HttpResponse.BodyHandler<ByteArray> {
    @Volatile
    private var subscriber: LimitedBodySubscriber? = null

    override fun apply(info: HttpResponse.ResponseInfo): HttpResponse.BodySubscriber<ByteArray> {
        val declared = info.headers().firstValueAsLong("Content-Length").let { if (it.isPresent) it.asLong else null }
        val into = target?.takeIf { info.statusCode() in 200..299 }
        return LimitedBodySubscriber(limit, budget, declared, into).also { subscriber = it }
    }

    /** The body's length, once it has been read. */
    fun length(): Int = subscriber?.length() ?: 0

    fun abort() {
        subscriber?.abort()
    }

    fun release() {
        subscriber?.release()
    }
}

/**
 * Reads a body into a [BodyAccumulator]. Past the limit (or the budget) it cancels its subscription — which closes the
 * HTTP/1.1 connection or resets the HTTP/2 stream — and fails, so nothing past the limit is buffered.
 */
private class LimitedBodySubscriber(
    limit: Long,
    budget: ResponseBudget,
    declared: Long?,
    target: ByteArray?,
) : HttpResponse.BodySubscriber<ByteArray> {
    private val result = CompletableFuture<ByteArray>()
    private val accumulator: BodyAccumulator? = try {
        BodyAccumulator(limit, budget, declared, target)
    } catch (e: WireException) {
        result.completeExceptionally(e)
        null
    }

    @Volatile
    private var subscription: Flow.Subscription? = null

    override fun getBody(): java.util.concurrent.CompletionStage<ByteArray> = result

    override fun onSubscribe(subscription: Flow.Subscription) {
        this.subscription = subscription
        if (result.isDone) subscription.cancel() else subscription.request(Long.MAX_VALUE)
    }

    override fun onNext(item: List<ByteBuffer>) {
        if (result.isDone) return
        val accumulator = accumulator ?: return
        try {
            synchronized(accumulator) { for (buffer in item) accumulator.append(buffer) }
        } catch (e: WireException) {
            subscription?.cancel()
            result.completeExceptionally(e)
        }
    }

    override fun onError(throwable: Throwable) {
        result.completeExceptionally(throwable)
    }

    override fun onComplete() {
        val accumulator = accumulator ?: return
        try {
            result.complete(synchronized(accumulator) { accumulator.toByteArray() })
        } catch (e: WireException) {
            result.completeExceptionally(e)
        }
    }

    fun abort() {
        subscription?.cancel()
        result.cancel(false)
    }

    fun release() {
        accumulator?.let { synchronized(it) { it.release() } }
    }

    fun length(): Int = accumulator?.let { synchronized(it) { it.length.toInt() } } ?: 0
}

/**
 * Publishes a [BinaryBody]'s pieces as buffers wrapping its arrays (no copy), one per demanded item, in slices small
 * enough that the JDK client never holds a whole chunk twice.
 */
private class PiecesPublisher(private val body: BinaryBody) : Flow.Publisher<ByteBuffer> {
    override fun subscribe(subscriber: Flow.Subscriber<in ByteBuffer>) {
        subscriber.onSubscribe(PiecesSubscription(body, subscriber))
    }
}

private class PiecesSubscription(body: BinaryBody, private val subscriber: Flow.Subscriber<in ByteBuffer>) : Flow.Subscription {
    private val pieces = body.pieces().iterator()
    private val expected = body.length
    private var piece: dev.dataverse.internal.protocol.BinaryPiece? = null
    private var offset = 0
    private var sent = 0L
    private var demand = 0L
    private var draining = false
    private var done = false

    override fun request(n: Long) {
        synchronized(this) {
            if (done) return
            if (n <= 0) {
                done = true
                subscriber.onError(IllegalArgumentException("non-positive demand $n"))
                return
            }
            demand = if (demand + n < 0) Long.MAX_VALUE else demand + n
            if (draining) return // The loop below, higher up this thread's stack or on another, sees the new demand.
            draining = true
        }
        drain()
    }

    private fun drain() {
        while (true) {
            val next: ByteBuffer? = synchronized(this) {
                if (done || demand == 0L) {
                    draining = false
                    return
                }
                nextSlice().also { if (it != null) demand-- }
            }
            if (next == null) {
                synchronized(this) { done = true }
                if (sent == expected) {
                    subscriber.onComplete()
                } else {
                    subscriber.onError(IOException("The body produced $sent bytes, not the declared $expected"))
                }
                return
            }
            subscriber.onNext(next)
        }
    }

    private fun nextSlice(): ByteBuffer? {
        while (true) {
            val current = piece
            if (current != null && offset < current.offset + current.length) {
                val count = minOf(SLICE, current.offset + current.length - offset)
                val slice = ByteBuffer.wrap(current.bytes, offset, count).slice()
                offset += count
                sent += count
                return slice
            }
            if (!pieces.hasNext()) return null
            val nextPiece = pieces.next()
            piece = nextPiece
            offset = nextPiece.offset
        }
    }

    override fun cancel() {
        synchronized(this) { done = true }
    }

    private companion object {
        const val SLICE = 64 * 1024
    }
}
