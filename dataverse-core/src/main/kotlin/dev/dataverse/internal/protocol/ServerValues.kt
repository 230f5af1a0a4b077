package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import java.net.URI
import java.util.UUID

/**
 * Checks of values the service sends that the client later puts on the wire: ids that go into paths and links it
 * follows. A response is data, never instructions: a value of the wrong shape (a "GUID" carrying CRLF and a second
 * request line, a next link to another table or host) is refused as a [MalformedResponseException] before anything
 * is sent, rather than trusted to the URL encoder.
 */
internal object ServerValues {

    /** [text] (named [what] in the message) parsed as a GUID, or a [MalformedResponseException]. */
    fun guid(text: String, what: String): UUID =
        parseGuidOrNull(text) ?: throw MalformedResponseException("The service sent $what ${Identifiers.quote(text)}, which is not a GUID.")

    /**
     * Checks a `@odata.nextLink` of a collection of [entitySetName]: absolute, on the environment's API root under that
     * entity set (`<apiUrl>/<entitySetName>?...`), with no whitespace, control character, fragment or dot-segment.
     * Returns [link], or `null` for `null`.
     */
    fun nextLink(link: String?, apiUrl: String, entitySetName: String): String? {
        if (link == null) return null
        if (!isNextLinkOf(link, apiUrl, entitySetName)) {
            throw MalformedResponseException(
                "The service sent a next link that is not a page of '$entitySetName' under $apiUrl: ${Identifiers.quote(link)}.",
            )
        }
        return link
    }

    /** Whether [link] is a next link of [entitySetName] (see [nextLink]); shared with the check of callers' continuation tokens. */
    fun isNextLinkOf(link: String, apiUrl: String, entitySetName: String): Boolean {
        val prefix = "$apiUrl/$entitySetName?"
        if (!link.startsWith(prefix) || link.length == prefix.length) return false
        if (link.any { it.isWhitespace() || it.isISOControl() } || '#' in link) return false
        // The path is fixed by the prefix; a dot-segment could only hide in a query that a server might normalise.
        return DOT_SEGMENT.find(link.substring(prefix.length)) == null
    }

    /**
     * Refuses a caller's continuation token that is a link of another service than the client's: another scheme, host
     * or port (a token saved from a client of another environment) or another API root on the same host (another API
     * version). The message names both, so that the mix-up is not taken for a token of the wrong table. Anything else
     * (not a URL, a relative link) passes to the table-specific check, which refuses it.
     */
    fun requireSameService(token: String, apiUrl: String) {
        val link = runCatching { URI(token) }.getOrNull()?.takeIf { it.isAbsolute && it.host != null } ?: return
        val api = URI(apiUrl)
        val linkOrigin = origin(link)
        val apiOrigin = origin(api)
        if (!linkOrigin.equals(apiOrigin, ignoreCase = true)) {
            throw InvalidInputException(
                "The continuation token is a link of $linkOrigin, but this client is connected to $apiOrigin: pass a token to a " +
                    "client of the environment whose page issued it.",
            )
        }
        val apiRoot = api.rawPath.trimEnd('/') + "/"
        val linkPath = link.rawPath.orEmpty()
        if (!linkPath.startsWith(apiRoot)) {
            throw InvalidInputException(
                "The continuation token is a link under ${Identifiers.quote(linkPath.substringBeforeLast('/', "/"))}, but this client " +
                    "uses the API root ${api.rawPath}: pass a token to a client of the same API version as the one whose page issued it.",
            )
        }
    }

    /** `scheme://host[:port]`, without user info, with the port only when the link gives one. */
    private fun origin(uri: URI): String = "${uri.scheme.lowercase()}://${uri.host.lowercase()}${if (uri.port == -1) "" else ":${uri.port}"}"

    private val DOT_SEGMENT = Regex("(^|/)\\.{1,2}(/|$)|%2[eE]%2[eE]|\\.%2[eE]|%2[eE]\\.")
}

/**
 * Remembers the continuation values (next links, paging cookies) one paged read has followed, so that a server that
 * hands out a value it already gave — the same page again, or a cycle — fails the read instead of looping forever.
 * Keeps a 128-bit digest per value, not the value, so that a stream of many small pages stays small in memory.
 */
internal class RepeatGuard(private val what: String) {
    private val seen = HashSet<UUID>()

    /** Records [value]; throws [MalformedResponseException] if it was recorded before. */
    fun check(value: String) {
        if (!seen.add(UUID.nameUUIDFromBytes(value.toByteArray(Charsets.UTF_8)))) {
            throw MalformedResponseException(
                "The service sent a $what it had already sent (${Identifiers.quote(value)}); following it would loop forever.",
            )
        }
    }
}
