package dev.dataverse.internal.protocol

import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import java.security.MessageDigest

/**
 * The client's own part of a continuation token: which query the token belongs to, and (for a row-limited listing) how
 * many rows are still due.
 *
 * A next link carries the query it was issued for (its `$select`, `$filter`… and the service's `$skiptoken`), so a token
 * handed back with other options would silently return the old query's rows. Every token therefore carries a
 * fingerprint of the query that issued it, and a token is refused ([InvalidInputException], before anything is sent)
 * when the options it is used with have another fingerprint.
 *
 * What the fingerprint covers — everything that shapes which rows come and how many per page:
 * - OData listings: table, `select`, `filter`, `orderBy`, `expand`, `top`, `count` and `pageSize`. The page size is
 *   included because Learn ("Page results using OData") has the next link sent with the same `Prefer` as the first
 *   request; `includeAnnotations` is not, since it adds annotations to the same rows.
 * - FetchXML: the query's exact text and the page size (FetchXML pages by page number × count, so another count reads
 *   other rows); SQL: the statement's exact text.
 * - Change tracking: table, `select` and `pageSize` (the delta token is the position, not the query).
 *
 * The fingerprint is the first 64 bits of a SHA-256 over those values, in hex: it detects mistakes, it is not a
 * signature (a token's links are checked against the client's own service separately, see [ServerValues]).
 *
 * Form of a next-link token: `<service next link>#q=<fingerprint>[&top=<rows still due>]`. A fragment never reaches the
 * server, so the link sent stays the service's own. Tokens issued before fingerprints existed (a bare next link, or
 * `#top=N` alone) are refused with a message saying to start the listing again.
 */
internal object QueryTokens {
    private const val QUERY = "q"
    private const val TOP = "top"

    /** A next-link token taken apart: the service's [link], the query [fingerprint] (`null` in an old token), rows [remaining]. */
    class Parsed(val link: String, val fingerprint: String?, val remaining: Int?)

    /** The token of [link] for the query [fingerprint], with [remaining] rows still due when the listing is limited. */
    fun encode(link: String, fingerprint: String, remaining: Int? = null): String =
        "$link#$QUERY=$fingerprint" + (remaining?.let { "&$TOP=$it" } ?: "")

    /** [token] split into its service link and the client's part (the fragment), without checking either. */
    fun parse(token: String): Parsed {
        val at = token.indexOf('#')
        if (at < 0) return Parsed(token, null, null)
        val parameters = token.substring(at + 1).split('&').mapNotNull { part ->
            part.split('=', limit = 2).takeIf { it.size == 2 }?.let { it[0] to it[1] }
        }.toMap()
        return Parsed(
            token.substring(0, at),
            parameters[QUERY]?.takeIf { FINGERPRINT.matches(it) },
            parameters[TOP]?.toIntOrNull()?.takeIf { it > 0 },
        )
    }

    /**
     * Refuses a token whose fingerprint is not [expected]: one from another query ([what] names the listing in the
     * message, e.g. "records of 'account'"), or one issued before fingerprints existed ([actual] `null`).
     */
    fun requireQuery(actual: String?, expected: String, what: String, options: String) {
        if (actual == null) {
            throw InvalidInputException(
                "This continuation token for $what carries no query fingerprint: it was issued by an earlier version of the client, " +
                    "or it is not a continuation token of this client. Start the listing again without a token.",
            )
        }
        if (actual != expected) {
            throw InvalidInputException(
                "This continuation token belongs to another query than the one it is used with ($what): $options differ from " +
                    "those of the page that issued it. Pass the same options as for that page, or start again without a token.",
            )
        }
    }

    /** The fingerprint of a records listing of [table] with [options] (see the class KDoc for what it covers). */
    fun of(table: String, options: ListOptions): String = digest(
        "odata",
        table.lowercase(),
        options.select.joinToString(",") { it.lowercase() },
        options.filter?.toODataString().orEmpty(),
        options.orderBy.joinToString(",") { it.trim().replace(SPACES, " ").lowercase() },
        options.expand.joinToString(",") { it.toODataString() },
        options.top?.toString().orEmpty(),
        options.count.toString(),
        options.pageSize?.toString().orEmpty(),
    )

    /** The fingerprint of a change listing of [table] with [options]. */
    fun of(table: String, options: ChangeTrackingOptions): String = digest(
        "changes",
        table.lowercase(),
        options.select.joinToString(",") { it.lowercase() },
        options.pageSize?.toString().orEmpty(),
    )

    /** The fingerprint of a FetchXML query's exact text read [pageSize] records per page. */
    fun ofFetchXml(fetchXml: String, pageSize: Int): String = digest("fetchxml", fetchXml, pageSize.toString())

    /** The fingerprint of a SQL statement's exact text. */
    fun ofSql(sql: String): String = digest("sql", sql)

    /** Whether [text] has the shape of a fingerprint. */
    fun isFingerprint(text: String): Boolean = FINGERPRINT.matches(text)

    private fun digest(vararg parts: String): String {
        val sha = MessageDigest.getInstance("SHA-256")
        parts.forEach { part ->
            sha.update(part.toByteArray(Charsets.UTF_8))
            sha.update(0)
        }
        return sha.digest().take(8).joinToString("") { "%02x".format(it) }
    }

    private val FINGERPRINT = Regex("[0-9a-f]{16}")
    private val SPACES = Regex(" +")
}
