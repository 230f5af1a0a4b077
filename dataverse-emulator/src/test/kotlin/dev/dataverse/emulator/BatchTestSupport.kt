package dev.dataverse.emulator

/** Builds `$batch` request bodies as clients write them (CRLF line ends unless told otherwise). */
class BatchBuilder(val boundary: String = "batch_test", private val lineEnd: String = "\r\n") {
    private val out = StringBuilder()
    private var changeSets = 0

    /** A request part outside change sets. */
    fun request(method: String, url: String, body: String? = null, contentId: Int? = null, headers: Map<String, String> = emptyMap()): BatchBuilder =
        apply {
            out.append("--").append(boundary).append(lineEnd)
            appendPart(method, url, body, contentId, headers)
        }

    /** A change set of the requests [block] adds. */
    fun changeSet(block: ChangeSet.() -> Unit): BatchBuilder = apply {
        val changeSet = ChangeSet("changeset_${++changeSets}")
        changeSet.block()
        out.append("--").append(boundary).append(lineEnd)
        out.append("Content-Type: multipart/mixed; boundary=").append(changeSet.boundary).append(lineEnd).append(lineEnd)
        changeSet.parts.forEach { out.append(it) }
        out.append("--").append(changeSet.boundary).append("--").append(lineEnd)
    }

    fun build(): String = out.toString() + "--$boundary--$lineEnd"

    inner class ChangeSet(val boundary: String) {
        val parts = mutableListOf<String>()

        fun request(method: String, url: String, body: String? = null, contentId: Int? = null, headers: Map<String, String> = emptyMap()) {
            val saved = out.length
            out.append("--").append(boundary).append(lineEnd)
            appendPart(method, url, body, contentId, headers)
            parts += out.substring(saved)
            out.setLength(saved)
        }
    }

    private fun appendPart(method: String, url: String, body: String?, contentId: Int?, headers: Map<String, String>) {
        out.append("Content-Type: application/http").append(lineEnd)
        out.append("Content-Transfer-Encoding: binary").append(lineEnd)
        contentId?.let { out.append("Content-ID: ").append(it).append(lineEnd) }
        out.append(lineEnd)
        out.append(method).append(' ').append(url).append(" HTTP/1.1").append(lineEnd)
        if (body != null) out.append("Content-Type: application/json; type=entry").append(lineEnd)
        headers.forEach { (name, value) -> out.append(name).append(": ").append(value).append(lineEnd) }
        out.append(lineEnd)
        body?.let { out.append(it) }
        out.append(lineEnd)
    }
}

/** One answer in a `$batch` response. */
class BatchAnswer(val contentId: String?, val status: Int, val reason: String, val headers: Map<String, String>, val body: String) {
    fun header(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value

    override fun toString(): String = "BatchAnswer($contentId, $status $reason, $headers, $body)"
}

/** A top-level entry of a `$batch` response: one answer or a change set of answers. */
sealed interface BatchResponseEntry {
    data class Single(val answer: BatchAnswer) : BatchResponseEntry

    data class ChangeSet(val boundary: String, val answers: List<BatchAnswer>) : BatchResponseEntry
}

/**
 * A strict reader of `$batch` responses for the tests, written independently of the emulator's code: it insists on
 * CRLF line ends, `application/http` parts with `Content-Transfer-Encoding: binary`, and the documented boundary names.
 */
object BatchResponseReader {
    fun read(contentType: String, body: String): List<BatchResponseEntry> {
        val boundary = boundary(contentType, "batchresponse_")
        return parts(body, boundary).map { part ->
            val (headers, content) = split(part)
            val type = headers.getValue("Content-Type")
            if (type.startsWith("multipart/mixed")) {
                val changeSet = boundary(type, "changesetresponse_")
                BatchResponseEntry.ChangeSet(changeSet, parts(content, changeSet).map(::answer))
            } else {
                BatchResponseEntry.Single(answer(part))
            }
        }
    }

    /** Every answer, change sets flattened. */
    fun answers(contentType: String, body: String): List<BatchAnswer> = read(contentType, body).flatMap {
        when (it) {
            is BatchResponseEntry.Single -> listOf(it.answer)
            is BatchResponseEntry.ChangeSet -> it.answers
        }
    }

    private fun boundary(contentType: String, prefix: String): String {
        val boundary = contentType.substringAfter("boundary=")
        check(boundary.startsWith(prefix)) { "boundary '$boundary' does not start with $prefix" }
        return boundary
    }

    private fun parts(body: String, boundary: String): List<String> {
        check(!body.replace("\r\n", "").contains('\n')) { "a bare LF in the multipart body" }
        val delimiter = "--$boundary"
        check(body.startsWith("$delimiter\r\n")) { "the body does not start with $delimiter" }
        val closing = "\r\n$delimiter--"
        val end = body.indexOf(closing)
        check(end >= 0) { "no closing delimiter $delimiter--" }
        return body.substring(delimiter.length + 2, end).split("\r\n$delimiter\r\n")
    }

    private fun answer(part: String): BatchAnswer {
        val (mime, http) = split(part)
        check(mime["Content-Type"] == "application/http") { "part Content-Type ${mime["Content-Type"]}" }
        check(mime["Content-Transfer-Encoding"] == "binary") { "part Content-Transfer-Encoding ${mime["Content-Transfer-Encoding"]}" }
        val statusLine = http.substringBefore("\r\n")
        val match = Regex("HTTP/1\\.1 (\\d{3}) (.+)").matchEntire(statusLine) ?: error("status line '$statusLine'")
        val (headers, body) = split(http.substringAfter("\r\n"))
        return BatchAnswer(mime["Content-ID"], match.groupValues[1].toInt(), match.groupValues[2], headers, body)
    }

    private fun split(text: String): Pair<Map<String, String>, String> {
        val end = text.indexOf("\r\n\r\n")
        val head = if (end < 0) text else text.substring(0, end)
        val headers = head.split("\r\n").filter { it.isNotEmpty() }.associate { it.substringBefore(':').trim() to it.substringAfter(':').trim() }
        return headers to if (end < 0) "" else text.substring(end + 4)
    }
}
