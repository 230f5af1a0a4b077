package dev.dataverse.emulator.internal.batch

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.PercentCoding
import java.util.Locale

/**
 * Reads a `$batch` request body into its entries and checks, before anything runs, what makes the service reject a
 * whole batch: more than [MAX_OPERATIONS] requests, a GET or a nested change set inside a change set, a nested
 * `$batch`, a duplicate Content-ID, or a `$n` reference to a Content-ID not declared by an earlier request.
 */
internal object BatchReader {
    /** The service's limit on requests per batch, change-set members included. */
    const val MAX_OPERATIONS: Int = 1000

    /** The entries of a batch body of Content-Type [contentType]. */
    fun read(contentType: String?, body: ByteArray): List<BatchEntry> {
        val boundary = Multipart.boundaryOf(contentType)?.takeIf { contentType!!.trim().startsWith("multipart/mixed", ignoreCase = true) }
            ?: throw ApiErrors.badRequest("A \$batch request must have the Content-Type multipart/mixed with a boundary, not '$contentType'.")
        val entries = Multipart.parts(body.toString(Charsets.ISO_8859_1), boundary).map(::entry)
        validate(entries)
        return entries
    }

    private fun entry(part: MimePart): BatchEntry {
        val nested = Multipart.boundaryOf(part.header("Content-Type"))
            ?: return BatchEntry.Single(operation(part, inChangeSet = false))
        val operations = Multipart.parts(part.content, nested).map { member ->
            if (Multipart.boundaryOf(member.header("Content-Type")) != null) throw ApiErrors.badRequest("Change sets cannot be nested in a \$batch request.")
            operation(member, inChangeSet = true)
        }
        return BatchEntry.ChangeSet(operations)
    }

    /** The HTTP request an `application/http` part carries: request line, headers, blank line, body. */
    private fun operation(part: MimePart, inChangeSet: Boolean): BatchOperation {
        val type = part.header("Content-Type")
        if (type != null && !type.trim().startsWith("application/http", ignoreCase = true)) {
            throw ApiErrors.badRequest("A \$batch part must have the Content-Type application/http, not '$type'.")
        }
        val content = part.content.trimStart('\r', '\n')
        val lineEnd = content.indexOf('\n').let { if (it < 0) content.length else it }
        val requestLine = utf8(content.substring(0, lineEnd).removeSuffix("\r")).trim()
        val words = requestLine.split(' ').filter { it.isNotEmpty() }
        if (words.size != 3 || !words[2].startsWith("HTTP/")) {
            throw ApiErrors.badRequest("A \$batch part has no valid request line ('METHOD URL HTTP/1.1'): '$requestLine'.")
        }
        val method = words[0].uppercase(Locale.ROOT)
        if (inChangeSet && method == "GET") {
            throw ApiErrors.badRequest(
                "An invalid HTTP method 'GET' was detected for a request in a change set. Requests in change sets only support " +
                    "the HTTP methods 'POST', 'PUT', 'DELETE', and 'PATCH'.",
            )
        }
        val (headers, body) = Multipart.splitHeaders(if (lineEnd < content.length) content.substring(lineEnd + 1) else "")
        val contentId = (part.header("Content-ID") ?: headers["content-id"])?.trim()?.takeIf { it.isNotEmpty() }
        return BatchOperation(
            method = method,
            url = words[1],
            headers = headers.filterKeys { it != "content-id" }.map { (name, value) -> name to utf8(value) },
            body = body.trimEnd('\r', '\n').toByteArray(Charsets.ISO_8859_1),
            contentId = contentId,
        )
    }

    private fun validate(entries: List<BatchEntry>) {
        val operations = entries.flatMap { it.operations }
        if (operations.size > MAX_OPERATIONS) {
            throw ApiErrors.badRequest(
                "The \$batch request has ${operations.size} requests, more than the limit of $MAX_OPERATIONS requests per batch.",
            )
        }
        val declared = HashSet<String>()
        for (operation in operations) {
            if (isNestedBatch(operation.url)) throw ApiErrors.badRequest("A \$batch request cannot contain another \$batch request.")
            ContentIdReferences.ofUrl(operation.url)?.let { if (it !in declared) throw ApiErrors.contentIdNotFound("$$it") }
            ContentIdReferences.parseIfReferencing(operation.body)?.let(ContentIdReferences::ofBody)?.forEach {
                if (it !in declared) throw ApiErrors.contentIdNotFound("$$it")
            }
            val contentId = operation.contentId ?: continue
            if (!declared.add(contentId)) {
                throw ApiErrors.badRequest(
                    "The content ID '$contentId' was found more than once in the same change set or same batch request. " +
                        "Content IDs have to be unique across all operations of a batch request.",
                )
            }
        }
    }

    private fun isNestedBatch(url: String): Boolean {
        val path = PercentCoding.decodePath(url.substringBefore('?')).trimEnd('/')
        return path == "\$batch" || path.endsWith("/\$batch")
    }

    private fun utf8(latin1: String): String = String(latin1.toByteArray(Charsets.ISO_8859_1), Charsets.UTF_8)
}
