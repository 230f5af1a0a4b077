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

    /** Decodes a `$batch` response body, flattening change sets, in the order of the body. */
    fun decode(contentType: String?, body: String): List<BatchPartResponse> {
        val boundary = boundaryOf(contentType)
            ?: throw MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
        return decodeMultipart(boundary, body)
    }

    private fun decodeMultipart(boundary: String, body: String): List<BatchPartResponse> =
        splitParts(boundary, body).flatMap { decodeEntity(it) }

    /** The bodies between `--boundary` delimiters, up to the closing `--boundary--`. */
    private fun splitParts(boundary: String, body: String): List<String> {
        val delimiter = "--$boundary"
        val parts = mutableListOf<String>()
        var position = body.indexOf(delimiter)
        if (position < 0) throw MalformedResponseException("The multipart body has no '$delimiter' delimiter.")
        while (true) {
            position += delimiter.length
            if (body.startsWith("--", position)) return parts
            val lineEnd = body.indexOf('\n', position)
            if (lineEnd < 0) throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            val next = body.indexOf("\n$delimiter", lineEnd)
            if (next < 0) throw MalformedResponseException("The multipart body ends without its closing delimiter.")
            parts += body.substring(lineEnd + 1, next).removeSuffix("\r")
            position = next + 1
        }
    }

    /** A MIME entity: either a nested change set, or an `application/http` response. */
    private fun decodeEntity(entity: String): List<BatchPartResponse> {
        val (mimeHeaders, content) = splitHeaders(entity)
        val contentType = mimeHeaders.entries.firstOrNull { it.key.equals("Content-Type", true) }?.value
        boundaryOf(contentType)?.let { nested -> return decodeMultipart(nested, content) }
        val contentId = mimeHeaders.entries.firstOrNull { it.key.equals("Content-ID", true) }?.value
        return listOf(decodeHttpResponse(content, contentId))
    }

    private fun decodeHttpResponse(text: String, contentId: String?): BatchPartResponse {
        val statusLineEnd = text.indexOf('\n').let { if (it < 0) text.length else it }
        val statusLine = text.substring(0, statusLineEnd).trim()
        val status = Regex("HTTP/\\d\\.\\d (\\d{3})(?: .*)?").matchEntire(statusLine)?.groupValues?.get(1)?.toInt()
            ?: throw MalformedResponseException("A \$batch part has no HTTP status line: ${Identifiers.quote(statusLine)}")
        val (headers, body) = splitHeaders(if (statusLineEnd < text.length) text.substring(statusLineEnd + 1) else "")
        return BatchPartResponse(status, headers, body.trimEnd('\r', '\n'), contentId)
    }

    /** Headers up to the first empty line, and what follows it. */
    private fun splitHeaders(text: String): Pair<Map<String, String>, String> {
        val headers = LinkedHashMap<String, String>()
        var position = 0
        while (position <= text.length) {
            val end = text.indexOf('\n', position).let { if (it < 0) text.length else it }
            val line = text.substring(position, end).removeSuffix("\r")
            position = end + 1
            if (line.isEmpty()) break
            val colon = line.indexOf(':')
            if (colon <= 0) throw MalformedResponseException("Malformed header line in a \$batch response: ${Identifiers.quote(line)}")
            headers[line.substring(0, colon).trim()] = line.substring(colon + 1).trim()
        }
        return headers to if (position <= text.length) text.substring(position) else ""
    }
}
