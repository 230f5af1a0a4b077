package dev.dataverse.internal.protocol

import dev.dataverse.ListOptions
import dev.dataverse.Page

/**
 * A row limit ([ListOptions.top]) kept by the client. Learn (webapi/query/overview "Limit the number of rows";
 * webapi/query/page-results) says not to use `$top` when requesting pages: with both `$top` and
 * `Prefer: odata.maxpagesize` the service pages and no longer caps the rows. So a request carries one or the other,
 * never both: `$top` alone when one page can hold the limit, else pages, counted and cut here.
 *
 * A continuation token of a limited listing is the service's next link with the rows still due in its fragment
 * (`#top=N`); a fragment never reaches the server, so the link stays the service's own.
 */
internal object RowLimits {
    private const val MARKER = "#top="

    /** Whether [options] are served by one request with `$top` and no page size. */
    fun singleRequest(options: ListOptions): Boolean {
        val top = options.top ?: return false
        return top <= (options.pageSize ?: ListOptions.MAX_PAGE_SIZE)
    }

    /** The next link to send and the rows still due (`null`: no limit) for a continuation token. */
    fun parseToken(token: String): Pair<String, Int?> {
        val at = token.lastIndexOf(MARKER)
        if (at < 0) return token to null
        val remaining = token.substring(at + MARKER.length).toIntOrNull()?.takeIf { it > 0 } ?: return token to null
        return token.substring(0, at) to remaining
    }

    /** [page] cut to [remaining] rows (when limited), with a token that carries what is still due. */
    fun limit(page: Page, remaining: Int?): Page {
        if (remaining == null) return page
        val records = if (page.records.size > remaining) page.records.subList(0, remaining) else page.records
        val left = remaining - records.size
        val next = page.continuationToken?.takeIf { left > 0 }?.let { it + MARKER + left }
        return Page(records, next, page.totalCount, page.totalCountLimitExceeded)
    }
}
