package dev.dataverse.emulator.internal.batch

import dev.dataverse.emulator.internal.ApiErrors
import java.util.Locale

/** One body part of a multipart entity: its MIME headers (names in lower case) and its content. */
internal class MimePart(val headers: Map<String, String>, val content: String) {
    /** The value of header [name], or null. */
    fun header(name: String): String? = headers[name.lowercase(Locale.ROOT)]
}

/**
 * Splits `multipart/mixed` bodies (RFC 2046) as `$batch` clients write them: CRLF or bare LF line ends, a preamble
 * and an epilogue ignored, the line break before each delimiter belonging to the delimiter. Text is handled as
 * ISO-8859-1, one char per byte, so part contents convert back to their exact bytes.
 */
internal object Multipart {

    /** The `boundary` parameter of a `multipart/...` Content-Type, unquoted, or null for any other content type. */
    fun boundaryOf(contentType: String?): String? {
        if (contentType == null || !contentType.trim().startsWith("multipart/", ignoreCase = true)) return null
        return contentType.split(';').drop(1).map { it.trim() }
            .firstOrNull { it.startsWith("boundary=", ignoreCase = true) }
            ?.substringAfter('=')?.trim()?.removeSurrounding("\"")?.takeIf { it.isNotEmpty() }
    }

    /** The parts of [body] delimited by [boundary]; a body without its closing delimiter is a 400. */
    fun parts(body: String, boundary: String): List<MimePart> {
        val delimiter = "--$boundary"
        var position = findDelimiter(body, delimiter, 0) ?: throw malformed("it has no '$delimiter' delimiter")
        val parts = mutableListOf<MimePart>()
        while (true) {
            position += delimiter.length
            if (body.startsWith("--", position)) return parts
            val lineEnd = body.indexOf('\n', position)
            if (lineEnd < 0) throw malformed("it ends without the closing delimiter '$delimiter--'")
            val contentStart = lineEnd + 1
            val next = findDelimiter(body, delimiter, contentStart) ?: throw malformed("it ends without the closing delimiter '$delimiter--'")
            val contentEnd = when {
                next >= contentStart + 2 && body[next - 1] == '\n' && body[next - 2] == '\r' -> next - 2
                next >= contentStart + 1 && body[next - 1] == '\n' -> next - 1
                else -> next
            }
            parts += part(body.substring(contentStart, maxOf(contentStart, contentEnd)))
            position = next
        }
    }

    /** Headers up to the first empty line (names in lower case), and the rest. */
    fun splitHeaders(text: String): Pair<Map<String, String>, String> {
        val headers = LinkedHashMap<String, String>()
        var position = 0
        while (position < text.length) {
            val end = text.indexOf('\n', position).let { if (it < 0) text.length else it }
            val line = text.substring(position, end).removeSuffix("\r")
            position = end + 1
            if (line.isEmpty()) return headers to if (position <= text.length) text.substring(position) else ""
            val colon = line.indexOf(':')
            if (colon <= 0) throw malformed("the header line '$line' has no name")
            headers[line.substring(0, colon).trim().lowercase(Locale.ROOT)] = line.substring(colon + 1).trim()
        }
        return headers to ""
    }

    private fun part(text: String): MimePart {
        val (headers, content) = splitHeaders(text)
        return MimePart(headers, content)
    }

    /** The index of the next [delimiter] at the start of a line, at or after [from], that is not a longer boundary. */
    private fun findDelimiter(body: String, delimiter: String, from: Int): Int? {
        var index = body.indexOf(delimiter, from)
        while (index >= 0) {
            val atLineStart = index == 0 || body[index - 1] == '\n'
            val after = body.getOrNull(index + delimiter.length)
            val ends = after == null || after == '-' || after == '\r' || after == '\n' || after == ' ' || after == '\t'
            if (atLineStart && ends) return index
            index = body.indexOf(delimiter, index + 1)
        }
        return null
    }

    private fun malformed(reason: String) = ApiErrors.badRequest("The \$batch request body is not valid multipart/mixed: $reason.")
}
