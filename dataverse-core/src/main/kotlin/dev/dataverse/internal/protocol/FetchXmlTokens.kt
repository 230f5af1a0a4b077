package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException

/**
 * Continuation tokens of FetchXML listings. FetchXML pages by page number and the service's paging cookie, which the
 * client sends back in the query itself, so a token carries both, the root entity and the query's fingerprint
 * ([QueryTokens.ofFetchXml]: the exact text and the page size) so that a token of another query is refused:
 * `fetchxml:<entity>:<fingerprint>:<page>` or `fetchxml:<entity>:<fingerprint>:<page>:<percent-encoded cookie>`. A token
 * issued before fingerprints existed (`fetchxml:<entity>:<page>…`) is refused with a message saying to start again.
 *
 * A token handed back by a caller can at most ask the service for another page of the same query: the cookie becomes an
 * attribute value of the query's XML (escaped by the serializer) and the query goes to the client's own environment.
 */
internal object FetchXmlTokens {
    private const val PREFIX = "fetchxml:"

    /** The position a token names: the page to fetch (from 2) and the paging cookie to send with it, if any. */
    data class Position(val page: Int, val cookie: String?)

    fun encode(entity: String, fingerprint: String, page: Int, cookie: String?): String =
        "$PREFIX$entity:$fingerprint:$page" + (cookie?.let { ":" + UrlEncoding.query(it) } ?: "")

    /** The position [token] names for a query of [entity] whose fingerprint is [fingerprint]; [InvalidInputException] for anything else. */
    fun decode(token: String, entity: String, fingerprint: String): Position {
        val parts = token.takeIf { it.startsWith(PREFIX) }?.substring(PREFIX.length)?.split(':', limit = 4)
        if (parts == null || parts.size < 2 || !parts[0].equals(entity, ignoreCase = true)) {
            throw InvalidInputException(
                "Invalid continuation token for a FetchXML query of '$entity': pass Page.continuationToken from a page of the same query.",
            )
        }
        QueryTokens.requireQuery(
            parts[1].takeIf { QueryTokens.isFingerprint(it) }, fingerprint, "a FetchXML query of '$entity'", "its FetchXML text or page size",
        )
        val page = parts.getOrNull(2)?.toIntOrNull()
        if (page == null || page < 2) {
            throw InvalidInputException(
                "Invalid continuation token for a FetchXML query of '$entity': pass Page.continuationToken from a page of the same query.",
            )
        }
        val cookie = parts.getOrNull(3)?.let {
            try {
                java.net.URLDecoder.decode(it, Charsets.UTF_8)
            } catch (e: IllegalArgumentException) {
                throw InvalidInputException("Invalid continuation token for a FetchXML query of '$entity': its paging cookie is not percent-encoded.", e)
            }
        }
        return Position(page, cookie)
    }

    /** The paging cookie of [token], or the token itself when it has none: what must not repeat within one listing. */
    fun repeatKey(token: String): String = token.split(':', limit = 5).getOrNull(4) ?: token
}
