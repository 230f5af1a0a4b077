package dev.dataverse.internal.protocol

import dev.dataverse.ListOptions
import dev.dataverse.Page

/**
 * A row limit ([ListOptions.top]) kept by the client. Learn (webapi/query/overview "Limit the number of rows";
 * webapi/query/page-results) says not to use `$top` when requesting pages: with both `$top` and
 * `Prefer: odata.maxpagesize` the service pages and no longer caps the rows. So a request carries one or the other,
 * never both: `$top` alone when one page can hold the limit, else pages, counted and cut here.
 *
 * A continuation token of a limited listing carries the rows still due in the client's part of the token
 * ([QueryTokens]); a fragment never reaches the server, so the link stays the service's own.
 */
internal object RowLimits {
    /** Whether [options] are served by one request with `$top` and no page size. */
    fun singleRequest(options: ListOptions): Boolean {
        val top = options.top ?: return false
        return top <= (options.pageSize ?: ListOptions.MAX_PAGE_SIZE)
    }

    /**
     * [page] (whose token is the service's next link) cut to [remaining] rows when limited, with its token made the
     * client's: the link, the query's [fingerprint] and the rows still due ([QueryTokens]); no token once the limit is met.
     */
    fun limit(page: Page, remaining: Int?, fingerprint: String): Page {
        val records = if (remaining != null && page.records.size > remaining) page.records.subList(0, remaining) else page.records
        val left = remaining?.let { it - records.size }
        val next = page.continuationToken?.takeIf { left == null || left > 0 }?.let { QueryTokens.encode(it, fingerprint, left) }
        return Page(records, next, page.totalCount, page.totalCountLimitExceeded)
    }
}
