package dev.dataverse.internal.transport

import dev.dataverse.DataverseException
import dev.dataverse.internal.RequestIds
import dev.dataverse.internal.protocol.BinaryPiece
import io.ktor.http.HttpMethod

/** One HTTP request to the Web API. [target] is relative to the API root, or an absolute URL on the environment. */
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
     * Send `If-None-Match: null` unless the request carries an `If-None-Match` of its own (see [StandardHeadersStage]).
     * On for GETs; file uploads turn it on too, as Learn's file-column-data examples send it.
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
     * [ApiResponse.bytes] is then this buffer and [ApiResponse.length] says how much of it is the body. One buffer serves
     * every chunk of a download (and every retry of a chunk), so the download holds one chunk whatever the garbage
     * collector does. Error bodies still get arrays of their own.
     */
    val responseBuffer: ByteArray? = null,
)

/** The body of an [ApiRequest]: one of a few shapes, so that a request can never carry two. */
internal sealed class RequestBody {
    /** The `Content-Type` header value, `null` when there is no body. */
    abstract val contentType: String?

    /** No body (GET, DELETE). */
    data object None : RequestBody() {
        override val contentType: String? get() = null
    }

    /** A JSON document. */
    class Json(val text: String) : RequestBody() {
        override val contentType: String get() = JSON
        val bytes: ByteArray by lazy(LazyThreadSafetyMode.NONE) { text.encodeToByteArray() }
    }

    /** Text of another type, e.g. a `$batch` multipart body with its boundary in [contentType]. */
    class Text(val text: String, override val contentType: String) : RequestBody() {
        val bytes: ByteArray by lazy(LazyThreadSafetyMode.NONE) { text.encodeToByteArray() }
    }

    /** Binary content streamed from its pieces, e.g. one chunk of a file upload. */
    class Binary(val binary: BinaryBody) : RequestBody() {
        override val contentType: String get() = binary.contentType
    }

    /** The body as text for a debug log, or a description of binary content. */
    fun describe(): String? = when (this) {
        None -> null
        is Json -> text
        is Text -> text
        is Binary -> binary.toString()
    }

    companion object {
        const val JSON = "application/json"
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

/**
 * A response with its body read: 2xx, or an error the request asked to see ([ApiRequest.returnErrors]). The body is the
 * first [length] bytes of [bytes]: all of them unless it was read into the request's [ApiRequest.responseBuffer].
 */
internal class ApiResponse(
    val status: Int,
    private val headerLookup: (String) -> String?,
    val bytes: ByteArray,
    val ids: RequestIds,
    private val allHeaders: () -> Map<String, List<String>> = { emptyMap() },
    val length: Int = bytes.size,
) {
    /** The body as UTF-8 text (JSON responses). */
    val body: String by lazy(LazyThreadSafetyMode.NONE) { bytes.decodeToString(0, length) }

    fun header(name: String): String? = headerLookup(name)

    /** Every header, by name; for callers that hand the response on ([dev.dataverse.Response]). */
    fun headers(): Map<String, List<String>> = allHeaders()

    /** For an error response returned rather than thrown: the exception it maps to. */
    var error: DataverseException? = null

    /** A [dev.dataverse.NotFoundException] for an answer that succeeded on the wire but found nothing, e.g. an empty `value`. */
    fun notFound(message: String): dev.dataverse.NotFoundException = dev.dataverse.NotFoundException(notFoundDetails(message))

    /** A [dev.dataverse.TableNotFoundException]: the metadata lookup of [table] found no table. */
    fun tableNotFound(message: String, table: String, suggestion: String?): dev.dataverse.TableNotFoundException =
        dev.dataverse.TableNotFoundException(notFoundDetails(message), table, suggestion)

    private fun notFoundDetails(message: String) = dev.dataverse.internal.ErrorDetails(
        message = message, serviceMessage = null, statusCode = 404, errorCode = null,
        serviceRequestId = header("x-ms-service-request-id"), ids = ids, isTransient = false, retryAfter = null,
    )

    /** An earlier attempt failed in flight and may have been applied: a "duplicate" or "not found" may be its doing. */
    var afterAmbiguousAttempt: Boolean = false
}
