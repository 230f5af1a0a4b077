package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.HttpPolicy
import dev.dataverse.InvalidInputException
import dev.dataverse.OperationObserver
import dev.dataverse.internal.BlockingCall
import dev.dataverse.internal.RequestIds
import kotlin.time.Duration

/**
 * One attempt of a request on its way down the per-attempt pipeline. Stages add headers; user policies and
 * instrumentation see it as an [HttpPolicy.Request], without the body and without the token, which is kept in [token]
 * and added to the wire request's headers only by the [WireStage].
 */
internal class Attempt(
    val request: ApiRequest,
    override val url: String,
    val ids: RequestIds,
    override val attempt: Int,
    /** How long this attempt may take: the request timeout, or less when the retry budget has less left. */
    val timeout: Duration,
    /** The headers of the request's [dev.dataverse.RequestOptions], added after the request's own. */
    val optionHeaders: List<Pair<String, String>> = emptyList(),
    /** The telemetry observer of the operation this attempt belongs to; null when the client has no instrumentation. */
    val observer: OperationObserver? = null,
    /** The records of the bulk chunk this attempt carries, for telemetry; 0 when it is not a bulk chunk. */
    val bulkChunkSize: Int = 0,
    /** The blocked caller whose thread may wait for the exchange; see [WireRequest.blockingCall]. */
    val blockingCall: BlockingCall? = null,
) : HttpPolicy.Request {
    val headerList = ArrayList<Pair<String, String>>(12)

    /** The bearer token, set by the authentication stage; never shown to policies. */
    var token: String? = null

    override val method: String get() = request.method.value
    override val clientRequestId: String get() = ids.clientRequestId
    override val correlationId: String get() = ids.correlationId

    override fun header(name: String): String? = headerList.firstOrNull { it.first.equals(name, ignoreCase = true) }?.second

    override val headers: List<Map.Entry<String, String>>
        get() = headerList.map { java.util.AbstractMap.SimpleImmutableEntry(it.first, it.second) }

    override fun setHeader(name: String, value: String) {
        if (name.isEmpty() || name.any { it <= ' ' || it >= '\u007f' || it in SEPARATORS }) {
            throw InvalidInputException("A policy set a header with an invalid name: '${name.filter { it >= ' ' }}'.")
        }
        if (name.lowercase() in OWNED) throw InvalidInputException("A policy cannot set the '$name' header: the client owns it.")
        if (value.any { it < ' ' || it == '\u007f' }) throw InvalidInputException("A policy set header '$name' to a value with control characters.")
        headerList.removeAll { it.first.equals(name, ignoreCase = true) }
        headerList += name to value
    }

    private companion object {
        const val SEPARATORS = "()<>@,;:\\\"/[]?={}"
        val OWNED = setOf(
            "authorization", "host", "content-length", "content-type", "connection", "expect", "upgrade", "transfer-encoding", "te",
            "keep-alive", "proxy-authorization",
        )
    }
}

/**
 * A stage of the per-attempt pipeline: does its part, then passes the attempt to [next]. Stages are linked once when the
 * client is built, so a request allocates no chain of its own.
 */
internal abstract class Stage {
    lateinit var next: Stage

    abstract suspend fun send(attempt: Attempt): ApiResponse

    companion object {
        /** Links [stages] in order and returns the first. */
        fun link(stages: List<Stage>): Stage {
            for (index in 0 until stages.size - 1) stages[index].next = stages[index + 1]
            return stages.first()
        }
    }
}
