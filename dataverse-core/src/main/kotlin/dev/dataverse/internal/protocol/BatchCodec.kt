package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordKey
import dev.dataverse.RequestOptions
import dev.dataverse.RetrieveOptions
import dev.dataverse.internal.protocol.json.JsonWriter
import io.ktor.http.HttpMethod

/** One HTTP request inside a `$batch`. [url] is absolute, or a `$n` Content-ID reference (optionally followed by a path). */
internal class BatchPart(
    val method: String,
    val url: String,
    val headers: List<Pair<String, String>> = emptyList(),
    /** The JSON body, as the write preparer or a message codec encoded it. */
    val body: RequestBody.Bytes? = null,
    val contentId: Int? = null,
)

/** A top-level entry of a `$batch`: a lone request, or an atomic change set of writes. */
internal sealed class BatchEntry {
    abstract val parts: List<BatchPart>

    class Single(val part: BatchPart) : BatchEntry() {
        override val parts: List<BatchPart> get() = listOf(part)
    }

    class ChangeSet(override val parts: List<BatchPart>) : BatchEntry()
}

/**
 * One response inside a `$batch` response, in the order the service wrote them. Its [body] is a range of the `$batch`
 * body's bytes, not a copy: a page read through `$batch` is decoded where it lies.
 */
internal class BatchPartResponse(
    val status: Int,
    val headers: Map<String, String>,
    val body: Body,
    val contentId: String?,
) {
    fun header(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value

    /** The part as a response, for the decoders of the operation it answers. */
    fun toResponse(ids: dev.dataverse.internal.RequestIds): ApiResponse =
        ApiResponse(status, ResponseHeaders.of(headers.mapValues { listOf(it.value) }), body).also { it.ids = ids }
}

/**
 * The `multipart/mixed` encoding of OData `$batch` requests and decoding of their responses, exactly as the Web API
 * documents them (Learn: "Execute batch operations using the Web API": CRLF line ends, `application/http` parts,
 * nested change sets). Pure: no I/O. Both directions work on bytes: a request is written straight into one array, a
 * response is read where it lies.
 */
internal object BatchCodec {
    private const val CRLF = "\r\n"

    /**
     * The part of a record operation: `{method} {api}/{set}`, `{api}/{set}({key})`, or `$n` (the record an earlier part
     * of the same change set created: Learn, "Reference URIs in an operation"), then the [retrieve] query with its
     * `Prefer`, the operation's own [headers], and the request [options] (headers and `tag`), which the service applies
     * to each part as to a request of its own.
     */
    @Suppress("LongParameterList")
    fun recordPart(
        method: String,
        apiUrl: String,
        table: TableMetadata,
        key: RecordKey?,
        reference: Int?,
        retrieve: RetrieveOptions?,
        headers: List<Pair<String, String>>,
        options: RequestOptions?,
        body: RequestBody.Bytes?,
        contentId: Int,
    ): BatchPart {
        val url = when {
            reference != null -> "\$$reference"
            key != null -> "$apiUrl/${QueryStrings.recordPath(table, key)}"
            else -> "$apiUrl/${table.entitySetName}"
        } + (retrieve?.let { QueryStrings.retrieveQuery(it) } ?: "")
        val allHeaders = headers + listOfNotNull(
            retrieve?.let { QueryStrings.readPreferences(null, it.includeAnnotations) }?.let { "Prefer" to it },
        ) + RequestOptionHeaders.headers(options, method)
        return BatchPart(method, RequestOptionHeaders.withTag(url, options), allHeaders, body, contentId)
    }

    /** The part of a message (a function or action) [call], with the request [options] as [recordPart] puts them. */
    fun messagePart(call: MessageCall, apiUrl: String, options: RequestOptions?, contentId: Int): BatchPart =
        BatchPart(
            call.method, RequestOptionHeaders.withTag("$apiUrl/${call.target}", options), RequestOptionHeaders.headers(options, call.method),
            call.body, contentId,
        )

    /**
     * `POST $batch` of [entries]. Error answers are returned, not thrown: their parts say what failed. [replaySafe]: every
     * operation may run twice (see the transport's idempotency); [applyOptions]: the client's request options go on the
     * `$batch` itself, not (only) on its parts.
     */
    fun request(
        entries: List<BatchEntry>,
        batchBoundary: String,
        changeSetBoundary: (Int) -> String,
        continueOnError: Boolean,
        replaySafe: Boolean,
        applyOptions: Boolean,
    ): ApiRequest = ApiRequest(
        HttpMethod.Post, "\$batch",
        headers = if (continueOnError) listOf("Prefer" to "odata.continue-on-error") else emptyList(),
        body = encode(entries, batchBoundary, changeSetBoundary),
        returnErrors = true,
        idempotent = replaySafe,
        applyOptions = applyOptions,
    )

    /**
     * The parts of a `$batch` answer. An answer that is not multipart is the service refusing the whole `$batch`: its
     * error (mapped and redacted by the transport, as for every error returned) is thrown, or a
     * [MalformedResponseException] for a 2xx that is not multipart.
     */
    fun parts(response: ApiResponse): List<BatchPartResponse> {
        val contentType = response.header("Content-Type")
        if (boundaryOf(contentType) == null) {
            if (response.status in 200..299) throw MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
            throw checkNotNull(response.error)
        }
        return decode(contentType, response.body)
    }

    /** The `multipart/mixed` content type of a request with [boundary]. */
    fun contentType(boundary: String): String = "multipart/mixed; boundary=$boundary"

    /** The request body: [entries] framed with [batchBoundary], each change set with the boundary [changeSetBoundary] gives. */
    fun encode(entries: List<BatchEntry>, batchBoundary: String, changeSetBoundary: (Int) -> String): RequestBody.Bytes {
        val out = JsonWriter(estimate(entries))
        entries.forEachIndexed { index, entry ->
            out.ascii("--").ascii(batchBoundary).ascii(CRLF)
            when (entry) {
                is BatchEntry.Single -> part(out, entry.part)
                is BatchEntry.ChangeSet -> {
                    val boundary = changeSetBoundary(index)
                    out.ascii("Content-Type: multipart/mixed; boundary=").ascii(boundary).ascii(CRLF).ascii(CRLF)
                    entry.parts.forEach { part ->
                        out.ascii("--").ascii(boundary).ascii(CRLF)
                        part(out, part)
                    }
                    out.ascii("--").ascii(boundary).ascii("--").ascii(CRLF)
                }
            }
        }
        out.ascii("--").ascii(batchBoundary).ascii("--").ascii(CRLF)
        return out.toBody(contentType(batchBoundary))
    }

    private fun estimate(entries: List<BatchEntry>): Int =
        entries.sumOf { entry -> entry.parts.sumOf { PART_OVERHEAD + it.url.length + (it.body?.length ?: 0) } } + PART_OVERHEAD

    private fun part(out: JsonWriter, part: BatchPart) {
        out.ascii("Content-Type: application/http").ascii(CRLF)
        out.ascii("Content-Transfer-Encoding: binary").ascii(CRLF)
        part.contentId?.let { out.ascii("Content-ID: ").ascii(it.toString()).ascii(CRLF) }
        out.ascii(CRLF)
        out.ascii(part.method).ascii(" ").utf8(part.url).ascii(" HTTP/1.1").ascii(CRLF)
        if (part.body != null) out.ascii("Content-Type: application/json; type=entry").ascii(CRLF)
        part.headers.forEach { (name, value) -> out.utf8(name).ascii(": ").utf8(value).ascii(CRLF) }
        out.ascii(CRLF)
        part.body?.let { out.bytes(it.bytes, 0, it.length) }
        out.ascii(CRLF)
    }

    /** The boundary parameter of a `multipart/mixed` Content-Type, or `null` when there is none (not a multipart answer). */
    fun boundaryOf(contentType: String?): String? {
        if (contentType == null || !contentType.trim().startsWith("multipart/", ignoreCase = true)) return null
        return contentType.split(';').drop(1).map { it.trim() }
            .firstOrNull { it.startsWith("boundary=", ignoreCase = true) }
            ?.substringAfter('=')?.trim()?.removeSurrounding("\"")?.takeIf { it.isNotEmpty() }
    }

    /**
     * Decodes a `$batch` response body, flattening change sets, in the order of the body. The protocol nests one level
     * only (a batch holds requests and change sets; a change set holds requests), so a multipart nested deeper is
     * refused rather than followed: decoding is two loops over offsets into [body], with no recursion a hostile server
     * could drive into a stack overflow, and no copies: each part's body is a range of [body].
     */
    fun decode(contentType: String?, body: Body): List<BatchPartResponse> {
        val boundary = boundaryOf(contentType)
            ?: throw MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
        val bytes = body.bytes
        val responses = mutableListOf<BatchPartResponse>()
        for (part in parts(bytes, boundary, body.from, body.to)) {
            val headers = headers(bytes, part.first, part.last + 1)
            val nested = boundaryOf(headers.value("Content-Type"))
            if (nested == null) {
                responses += httpResponse(bytes, headers.end, part.last + 1, headers.value("Content-ID"))
                continue
            }
            for (inner in parts(bytes, nested, headers.end, part.last + 1)) {
                val innerHeaders = headers(bytes, inner.first, inner.last + 1)
                if (boundaryOf(innerHeaders.value("Content-Type")) != null) {
                    throw MalformedResponseException("The \$batch response nests a multipart inside a change set, which the protocol does not allow.")
                }
                responses += httpResponse(bytes, innerHeaders.end, inner.last + 1, innerHeaders.value("Content-ID"))
            }
        }
        return responses
    }

    /** The ranges between `--boundary` delimiters of the multipart in [bytes] from [from] to [to], up to the closing `--boundary--`. */
    private fun parts(bytes: ByteArray, boundary: String, from: Int, to: Int): List<IntRange> {
        val delimiter = "--$boundary".toByteArray(Charsets.ISO_8859_1)
        val lineDelimiter = byteArrayOf('\n'.code.toByte()) + delimiter
        val parts = mutableListOf<IntRange>()
        var position = indexOf(bytes, delimiter, from, to)
            .takeIf { it >= 0 } ?: throw MalformedResponseException("The multipart body has no '--$boundary' delimiter.")
        while (true) {
            position += delimiter.size
            if (position + 2 <= to && bytes[position] == '-'.code.toByte() && bytes[position + 1] == '-'.code.toByte()) return parts
            val lineEnd = indexOf(bytes, '\n'.code.toByte(), position, to)
                .takeIf { it >= 0 } ?: throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            val next = indexOf(bytes, lineDelimiter, lineEnd, to)
                .takeIf { it >= 0 } ?: throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            val end = if (next > lineEnd + 1 && bytes[next - 1] == '\r'.code.toByte()) next - 1 else next
            parts += (lineEnd + 1) until maxOf(end, lineEnd + 1)
            position = next + 1
        }
    }

    /** An `application/http` response between [from] and [to]: status line, headers, body. */
    private fun httpResponse(bytes: ByteArray, from: Int, to: Int, contentId: String?): BatchPartResponse {
        val newline = indexOf(bytes, '\n'.code.toByte(), from, to).takeIf { it >= 0 } ?: to
        val statusLine = String(bytes, from, newline - from, Charsets.UTF_8).trim()
        val status = STATUS_LINE.matchEntire(statusLine)?.groupValues?.get(1)?.toInt()
            ?: throw MalformedResponseException("A \$batch part has no HTTP status line: ${Identifiers.quote(statusLine)}")
        val headers = headers(bytes, minOf(newline + 1, to), to)
        var end = to
        while (end > headers.end && (bytes[end - 1] == '\r'.code.toByte() || bytes[end - 1] == '\n'.code.toByte())) end--
        return BatchPartResponse(status, headers.values, Body(bytes, headers.end, end), contentId)
    }

    /** Headers from [from], up to the first empty line or [to]; [Headers.end] is where the content after them starts. */
    private fun headers(bytes: ByteArray, from: Int, to: Int): Headers {
        val headers = LinkedHashMap<String, String>()
        var position = from
        while (position < to) {
            val lineStart = position
            val newline = indexOf(bytes, '\n'.code.toByte(), lineStart, to).takeIf { it >= 0 } ?: to
            val lineEnd = if (newline > lineStart && bytes[newline - 1] == '\r'.code.toByte()) newline - 1 else newline
            position = minOf(newline + 1, to)
            if (lineEnd == lineStart) break
            val colon = indexOf(bytes, ':'.code.toByte(), lineStart, lineEnd).takeIf { it > lineStart }
                ?: throw MalformedResponseException(
                    "Malformed header line in a \$batch response: ${Identifiers.quote(String(bytes, lineStart, lineEnd - lineStart, Charsets.UTF_8))}",
                )
            headers[String(bytes, lineStart, colon - lineStart, Charsets.UTF_8).trim()] =
                String(bytes, colon + 1, lineEnd - colon - 1, Charsets.UTF_8).trim()
        }
        return Headers(headers, position)
    }

    private class Headers(val values: Map<String, String>, val end: Int) {
        fun value(name: String): String? = values.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value
    }

    private fun indexOf(bytes: ByteArray, byte: Byte, from: Int, to: Int): Int {
        for (index in from until to) if (bytes[index] == byte) return index
        return -1
    }

    /** The first occurrence of [pattern] that starts at or after [from] and ends by [to]; -1 when there is none. */
    private fun indexOf(bytes: ByteArray, pattern: ByteArray, from: Int, to: Int): Int {
        val first = pattern[0]
        val last = to - pattern.size
        var index = from
        outer@ while (index <= last) {
            if (bytes[index] != first) {
                index++
                continue
            }
            for (offset in 1 until pattern.size) {
                if (bytes[index + offset] != pattern[offset]) {
                    index++
                    continue@outer
                }
            }
            return index
        }
        return -1
    }

    private const val PART_OVERHEAD = 160
    private val STATUS_LINE = Regex("HTTP/\\d\\.\\d (\\d{3})(?: .*)?")
}
