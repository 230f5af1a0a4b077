package dev.dataverse.internal.protocol

import dev.dataverse.DataverseException
import dev.dataverse.NotFoundException
import dev.dataverse.TableNotFoundException
import dev.dataverse.internal.ErrorDetails
import dev.dataverse.internal.RequestIds
import io.ktor.http.HttpMethod

/**
 * One HTTP request to the Web API, as a codec builds it: data only, no I/O. [target] is relative to the API root, or an
 * absolute URL on the environment (a next link, the search endpoint); the transport checks it once, when it is sent.
 */
internal class ApiRequest(
    val method: HttpMethod,
    val target: String,
    val headers: List<Pair<String, String>> = emptyList(),
    val body: RequestBody = RequestBody.None,
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
    /**
     * Send `If-None-Match: null` unless the request carries an `If-None-Match` of its own (see the standard-headers
     * stage). On for GETs; file uploads turn it on too, as Learn's file-column-data examples send it.
     */
    val cacheOverride: Boolean = method == HttpMethod.Get,
    /**
     * Whether the transport's [dev.dataverse.RequestOptions] go on this request. Off for a `$batch`, whose options go on
     * its parts instead (each part is a request of its own for the service).
     */
    val applyOptions: Boolean = true,
    /**
     * The bytes of file content this request uploads, for telemetry: a binary body is all file content; an `UploadBlock`
     * wraps its block in JSON and says how much it carries.
     */
    val fileBytes: Long = (body as? RequestBody.Binary)?.binary?.takeIf { it.contentType != RequestBody.JSON }?.length ?: 0,
    /**
     * A buffer a successful (2xx) response's body is read into instead of a new array, at most its size; the response's
     * [ApiResponse.body] is then a range of this buffer. One buffer serves every chunk of a download (and every retry of
     * a chunk), so the download holds one chunk whatever the garbage collector does. Error bodies get arrays of their own.
     */
    val responseBuffer: ByteArray? = null,
) {
    override fun toString(): String = "${method.value} ${target.substringBefore('?')}"
}

/** The body of an [ApiRequest]: one of a few shapes, so that a request can never carry two. */
internal sealed class RequestBody {
    /** The `Content-Type` header value, `null` when there is no body. */
    abstract val contentType: String?

    /** No body (GET, DELETE). */
    data object None : RequestBody() {
        override val contentType: String? get() = null
    }

    /**
     * Encoded text — a JSON document, a `$batch` multipart body — as the first [length] bytes of [bytes], which the
     * writer that produced them hands over without a copy.
     */
    class Bytes(val bytes: ByteArray, val length: Int, override val contentType: String) : RequestBody() {
        init {
            require(length in 0..bytes.size) { "length $length is outside the array of ${bytes.size} bytes" }
        }

        /** The body as text, for logs and tests. */
        fun text(): String = String(bytes, 0, length, Charsets.UTF_8)
    }

    /** Binary content streamed from its pieces, e.g. one chunk of a file upload. */
    class Binary(val binary: BinaryBody) : RequestBody() {
        override val contentType: String get() = binary.contentType
    }

    /** The body as text for a debug log, or a description of binary content. */
    fun describe(): String? = when (this) {
        None -> null
        is Bytes -> text()
        is Binary -> binary.toString()
    }

    companion object {
        const val JSON = "application/json"

        /** A JSON document given as text (small, fixed documents; payloads are written with [JsonWriter]). */
        fun json(text: String): Bytes = text.encodeToByteArray().let { Bytes(it, it.size, JSON) }
    }
}

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

/** Header lookup of a response: by name ignoring case, and all of them for callers that hand the response on. */
internal interface ResponseHeaders {
    /** The first value of [name], ignoring its case; `null` when absent. */
    operator fun get(name: String): String?

    /** Every header by name, each with its values in the order received; built when asked for. */
    fun all(): Map<String, List<String>>

    companion object {
        val NONE: ResponseHeaders = of(emptyMap())

        /** Headers from a map, looked up ignoring case (for tests and `$batch` parts). */
        fun of(headers: Map<String, List<String>>): ResponseHeaders = object : ResponseHeaders {
            override fun get(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value?.firstOrNull()

            override fun all(): Map<String, List<String>> = headers
        }
    }
}

/**
 * [size] bytes of [bytes] from [from]: a response body, or a part of one (a `$batch` part's body is a range of the
 * `$batch` body, not a copy). Decoders read the bytes as they are; [text] decodes them for messages and the few
 * answers that are text.
 */
internal class Body(val bytes: ByteArray, val from: Int = 0, val to: Int = bytes.size) {
    init {
        require(from in 0..to && to <= bytes.size) { "range $from..$to is outside the array of ${bytes.size} bytes" }
    }

    val size: Int get() = to - from

    fun isEmpty(): Boolean = to == from

    /** Whether the body is empty or only whitespace. */
    fun isBlank(): Boolean {
        for (index in from until to) {
            val byte = bytes[index].toInt()
            if (byte != ' '.code && byte != '\t'.code && byte != '\r'.code && byte != '\n'.code) return false
        }
        return true
    }

    /** The body as UTF-8 text. */
    fun text(): String = String(bytes, from, size, Charsets.UTF_8)

    /** At most the first [maxBytes] bytes as text, for messages about a body that cannot be read. */
    fun excerpt(maxBytes: Int): String = String(bytes, from, minOf(size, maxBytes), Charsets.UTF_8)

    /** The bytes from [start] to [end] of this body's array (absolute positions). */
    fun range(start: Int, end: Int): Body = Body(bytes, start, end)

    /** A copy of the body's bytes. */
    fun toByteArray(): ByteArray = if (from == 0 && to == bytes.size) bytes else bytes.copyOfRange(from, to)

    override fun toString(): String = "<$size bytes>"

    companion object {
        val EMPTY: Body = Body(ByteArray(0))

        fun of(text: String): Body = Body(text.encodeToByteArray())
    }
}

/**
 * A response with its body read: what a wire transport returns, what the pipeline's stages see, and what codecs decode.
 * 2xx, or an error the request asked to see ([ApiRequest.returnErrors]), which carries its typed [error].
 */
internal class ApiResponse(
    val status: Int,
    val headers: ResponseHeaders,
    val body: Body,
) {
    /** The ids of the attempt that got this response; set by the stage that sent it. */
    var ids: RequestIds = RequestIds.NONE

    /** For an error response returned rather than thrown: the exception it maps to. */
    var error: DataverseException? = null

    /** An earlier attempt failed in flight and may have been applied: a "duplicate" or "not found" may be its doing. */
    var afterAmbiguousAttempt: Boolean = false

    fun header(name: String): String? = headers[name]

    /** A [NotFoundException] for an answer that succeeded on the wire but found nothing, e.g. an empty `value`. */
    fun notFound(message: String): NotFoundException = NotFoundException(notFoundDetails(message))

    /** A [TableNotFoundException]: the metadata lookup of [table] found no table. */
    fun tableNotFound(message: String, table: String, suggestion: String?): TableNotFoundException =
        TableNotFoundException(notFoundDetails(message), table, suggestion)

    private fun notFoundDetails(message: String) = ErrorDetails(
        message = message, serviceMessage = null, statusCode = 404, errorCode = null,
        serviceRequestId = header("x-ms-service-request-id"), ids = ids, isTransient = false, retryAfter = null,
    )

    override fun toString(): String = "ApiResponse($status, $body)"
}
