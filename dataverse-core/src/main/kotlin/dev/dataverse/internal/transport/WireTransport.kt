package dev.dataverse.internal.transport

import dev.dataverse.internal.BlockingCall
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.RequestBody
import kotlin.time.Duration

/**
 * The bottom of the pipeline: sends one fully prepared request over the network and reads its response, nothing more.
 * No retries, no authentication, no status mapping: those are policies above it. Implementations: [JdkWireTransport]
 * (the default, `java.net.http.HttpClient` used directly) and [KtorWireTransport] (Ktor CIO, or a test engine).
 *
 * Failures are reported as [WireException] only, so that every implementation maps to the same typed errors.
 */
internal interface WireTransport : AutoCloseable {
    /**
     * Sends [request] and returns its response with the body read, reading at most [limit] body bytes and reserving
     * each byte it buffers from [budget]. Cancelling the caller aborts the exchange.
     */
    suspend fun execute(request: WireRequest, limit: Long, budget: ResponseBudget): ApiResponse
}

/** A request as it goes on the wire: absolute [url], every header set, the attempt's [timeout]. */
internal class WireRequest(
    val method: String,
    val url: String,
    val headers: List<Pair<String, String>>,
    val body: RequestBody,
    val timeout: Duration,
    /** Where a 2xx body goes instead of a new array: see [ApiRequest.responseBuffer]. */
    val responseBuffer: ByteArray? = null,
    /**
     * The blocked caller whose thread may wait for this exchange (see [dev.dataverse.internal.runBlockingCall]), when the
     * exchange reaches the transport on that thread; a transport that has no use for it ignores it.
     */
    val blockingCall: BlockingCall? = null,
)

/** How an exchange failed below HTTP. */
internal enum class WireFailure {
    /** No connection could be made (refused, unknown host): nothing was sent. */
    CONNECT_FAILED,

    /** Connecting took longer than the connect timeout: nothing was sent. */
    CONNECT_TIMEOUT,

    /** TLS negotiation failed (e.g. an untrusted certificate): nothing was sent, and trying again will not help. */
    TLS,

    /** No complete response within the request timeout; the request may have been applied. */
    TIMEOUT,

    /** The connection broke (reset, closed, HTTP/2 GOAWAY or stream reset); the request may have been applied. */
    BROKEN,

    /** The response body is larger than the limit (or the shared budget); reading stopped there. */
    TOO_LARGE,
}

/** A failure of [WireTransport.execute], classified; [message] never holds header values. */
internal class WireException(val failure: WireFailure, message: String, cause: Throwable? = null) : Exception(message, cause)
