package dev.dataverse

import kotlinx.coroutines.flow.Flow

/**
 * One listing — the records of a table, a FetchXML query or a SQL query — read page by page. Every listing of the
 * client is served by this one pager, whatever tells the next page: the service's `@odata.nextLink`, a FetchXML paging
 * cookie, or a SQL next link.
 *
 * ## Laziness
 * A page is requested only when its consumer asks for it: when a [pages] collector returns from the previous page, when a
 * [records] collector needs the next record after the last one of the page it has, or when [PageCursor.next] is called.
 * Nothing is fetched ahead and nothing runs between pages, so a consumer that stops (cancels the collection, or drops
 * the cursor) leaves nothing running and sends nothing more.
 *
 * ## Continuation tokens
 * Each [Page] carries a [Page.continuationToken] (`null` on the last page). Pass it to [pages], [records] or [cursor] of
 * a pager for the same query to resume there, e.g. in a later HTTP request of a web application. Tokens are checked
 * before anything is sent ([InvalidInputException] for a token that is not one of this query's own).
 *
 * ## Correlation
 * All requests of one collection of [pages] or [records], or of one [cursor], share one `x-ms-correlation-id`.
 *
 * ```kotlin
 * val pager = client.records.pager("account", ListOptions(select = listOf("name"), pageSize = 500))
 * pager.pages().collect { page -> save(page.records); checkpoint(page.continuationToken) }
 * pager.records(continuationToken = checkpoint).collect { println(it.getString("name")) }  // resume
 * ```
 */
public interface Pager {
    /** The pages as a cold flow, from the first page or from the page [continuationToken] designates. */
    @JvmSynthetic
    public fun pages(continuationToken: String? = null): Flow<Page>

    /** The records of [pages], in order, one page fetched at a time. */
    @JvmSynthetic
    public fun records(continuationToken: String? = null): Flow<DataverseRecord>

    /**
     * A cursor over the pages, from the first or from the page [continuationToken] designates. Nothing is sent until
     * [PageCursor.next] is called.
     */
    public fun cursor(continuationToken: String? = null): PageCursor
}

/**
 * Pages of one listing, fetched one [next] call at a time under one correlation id. Not thread-safe: one consumer at a
 * time. A [next] that fails leaves the cursor where it was, so calling it again retries the same page.
 *
 * ## Closing
 * The listing is one operation for the client's instrumentation (one span), from the first [next] to the last page.
 * A consumer that stops before the last page ends it with [close] (`use { }`, try-with-resources); a cursor dropped
 * without it is ended when the garbage collector finds it unreachable. Closing sends nothing and holds nothing open: a
 * [next] after [close] continues the listing as a new operation under the same [correlationId], which is how a
 * page-at-a-time consumer (one page per web request) ends an operation per page and keeps one correlation id.
 */
public interface PageCursor : AutoCloseable {
    /** The `x-ms-correlation-id` every request of this cursor sends. */
    public val correlationId: String

    /** Whether another page can be fetched: `true` before the first page and after every page but the last. */
    public val hasNext: Boolean

    /**
     * The token of the page [next] fetches: `null` before the first page of a listing started from its beginning, and
     * once the last page has been fetched.
     */
    public val continuationToken: String?

    /**
     * Fetches the next page.
     *
     * @throws NoSuchElementException when [hasNext] is `false`.
     * @throws InvalidInputException when the token the cursor started from is not one of this query's own.
     * @throws MalformedResponseException when the service sends a next link or paging cookie that is not one of this
     *   query's pages, or one it already sent in this listing (which would loop forever); it is not followed.
     */
    @JvmSynthetic
    public suspend fun next(): Page

    /** Ends the listing's operation if one is running (see Closing); idempotent, sends nothing, never throws. */
    override fun close()
}
