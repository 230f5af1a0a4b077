package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException

/** One HTTP request inside a `$batch`. [url] is absolute, or a `$n` Content-ID reference (optionally followed by a path). */
internal class BatchPart(
    val method: String,
    val url: String,
    val headers: List<Pair<String, String>> = emptyList(),
    val jsonBody: String? = null,
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

/** One response inside a `$batch` response, in the order the service wrote them. */
internal class BatchPartResponse(
    val status: Int,
    val headers: Map<String, String>,
    val body: String,
    val contentId: String?,
) {
    fun header(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value
}

/**
 * The `multipart/mixed` encoding of OData `$batch` requests and decoding of their responses, exactly as the Web API
 * documents them (CRLF line ends, `application/http` parts, nested change sets). Pure: no I/O.
 */
internal object BatchCodec {
    private const val CRLF = "\r\n"

    fun encode(entries: List<BatchEntry>, batchBoundary: String, changeSetBoundary: (Int) -> String): String = buildString {
        entries.forEachIndexed { index, entry ->
            append("--").append(batchBoundary).append(CRLF)
            when (entry) {
                is BatchEntry.Single -> appendPart(entry.part)
                is BatchEntry.ChangeSet -> {
                    val boundary = changeSetBoundary(index)
                    append("Content-Type: multipart/mixed; boundary=").append(boundary).append(CRLF).append(CRLF)
                    entry.parts.forEach { part ->
                        append("--").append(boundary).append(CRLF)
                        appendPart(part)
                    }
                    append("--").append(boundary).append("--").append(CRLF)
                }
            }
        }
        append("--").append(batchBoundary).append("--").append(CRLF)
    }

    private fun StringBuilder.appendPart(part: BatchPart) {
        append("Content-Type: application/http").append(CRLF)
        append("Content-Transfer-Encoding: binary").append(CRLF)
        part.contentId?.let { append("Content-ID: ").append(it).append(CRLF) }
        append(CRLF)
        append(part.method).append(' ').append(part.url).append(" HTTP/1.1").append(CRLF)
        if (part.jsonBody != null) append("Content-Type: application/json; type=entry").append(CRLF)
        part.headers.forEach { (name, value) -> append(name).append(": ").append(value).append(CRLF) }
        append(CRLF)
        part.jsonBody?.let { append(it) }
        append(CRLF)
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
     * could drive into a stack overflow and no copies of the remaining body per level.
     */
    fun decode(contentType: String?, body: String): List<BatchPartResponse> {
        val boundary = boundaryOf(contentType)
            ?: throw MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
        val responses = mutableListOf<BatchPartResponse>()
        for (part in parts(body, boundary, 0, body.length)) {
            val headers = headers(body, part)
            val nested = boundaryOf(headers.value("Content-Type"))
            if (nested == null) {
                responses += httpResponse(body, headers.end, part.last + 1, headers.value("Content-ID"))
                continue
            }
            for (inner in parts(body, nested, headers.end, part.last + 1)) {
                val innerHeaders = headers(body, inner)
                if (boundaryOf(innerHeaders.value("Content-Type")) != null) {
                    throw MalformedResponseException("The \$batch response nests a multipart inside a change set, which the protocol does not allow.")
                }
                responses += httpResponse(body, innerHeaders.end, inner.last + 1, innerHeaders.value("Content-ID"))
            }
        }
        return responses
    }

    /** The ranges between `--boundary` delimiters of the multipart in [body] from [from] to [to], up to the closing `--boundary--`. */
    private fun parts(body: String, boundary: String, from: Int, to: Int): List<IntRange> {
        val delimiter = "--$boundary"
        val parts = mutableListOf<IntRange>()
        var position = body.indexOf(delimiter, from).takeIf { it in from until to }
            ?: throw MalformedResponseException("The multipart body has no '$delimiter' delimiter.")
        while (true) {
            position += delimiter.length
            if (body.startsWith("--", position) && position + 2 <= to) return parts
            val lineEnd = body.indexOf('\n', position).takeIf { it in position until to }
                ?: throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            val next = body.indexOf("\n$delimiter", lineEnd).takeIf { it in lineEnd until to }
                ?: throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            val end = if (next > lineEnd + 1 && body[next - 1] == '\r') next - 1 else next
            parts += (lineEnd + 1) until maxOf(end, lineEnd + 1)
            position = next + 1
        }
    }

    /** An `application/http` response between [from] and [to]: status line, headers, body. */
    private fun httpResponse(body: String, from: Int, to: Int, contentId: String?): BatchPartResponse {
        val newline = body.indexOf('\n', from).takeIf { it in from until to } ?: to
        val statusLine = body.substring(from, newline).trim()
        val status = STATUS_LINE.matchEntire(statusLine)?.groupValues?.get(1)?.toInt()
            ?: throw MalformedResponseException("A \$batch part has no HTTP status line: ${Identifiers.quote(statusLine)}")
        val headers = headers(body, minOf(newline + 1, to), to)
        return BatchPartResponse(status, headers.values, body.substring(headers.end, to).trimEnd('\r', '\n'), contentId)
    }

    /** MIME or HTTP headers of the entity at [range], up to the first empty line. */
    private fun headers(body: String, range: IntRange): Headers = headers(body, range.first, range.last + 1)

    /** Headers from [from], up to the first empty line or [to]; [Headers.end] is where the content after them starts. */
    private fun headers(body: String, from: Int, to: Int): Headers {
        val headers = LinkedHashMap<String, String>()
        var position = from
        while (position < to) {
            val lineStart = position
            val newline = body.indexOf('\n', lineStart).takeIf { it in lineStart until to } ?: to
            val lineEnd = if (newline > lineStart && body[newline - 1] == '\r') newline - 1 else newline
            position = minOf(newline + 1, to)
            if (lineEnd == lineStart) break
            val colon = body.indexOf(':', lineStart).takeIf { it in lineStart + 1 until lineEnd }
                ?: throw MalformedResponseException("Malformed header line in a \$batch response: ${Identifiers.quote(body.substring(lineStart, lineEnd))}")
            headers[body.substring(lineStart, colon).trim()] = body.substring(colon + 1, lineEnd).trim()
        }
        return Headers(headers, position)
    }

    private class Headers(val values: Map<String, String>, val end: Int) {
        fun value(name: String): String? = values.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value
    }

    private val STATUS_LINE = Regex("HTTP/\\d\\.\\d (\\d{3})(?: .*)?")
}
