package dev.dataverse

import kotlinx.coroutines.flow.Flow

/**
 * The changes of one table since a delta token (or all its records, for a full sync), read page by page: returned by
 * [Records.changes]. Built on the same pager as every listing of the client, so it is lazy (a page is requested only
 * when its consumer asks for it), runs all requests of one collection under one `x-ms-correlation-id`, and refuses a
 * next link the service sends twice.
 *
 * ## Tokens
 * A run ends with a [ChangePage.deltaToken] on its last page: store it and pass it as [ChangeTrackingOptions.deltaToken]
 * next time to get only what changed since. Within a run, every other page carries a [ChangePage.continuationToken]:
 * pass it to [pages], [changes] or [cursor] to resume the run after that page, e.g. after a crash. So persisting, after
 * each page is applied, `page.continuationToken ?: page.deltaToken` (and which of the two it is) gives a sync that
 * resumes where it stopped, missing and repeating nothing.
 *
 * ## Errors
 * [DeltaTokenExpiredException] when a token is older than the service keeps changes (7 days by default) or unknown to it:
 * run a full sync (options without a delta token). [BadRequestException] with code `0x80072491` when the table does not
 * have change tracking enabled (see [Tables.enableChangeTracking]). [InvalidInputException], before anything is sent,
 * for a continuation token that is not a page of this table.
 *
 * ```kotlin
 * val changes = client.records.changes("account", ChangeTrackingOptions(select = listOf("name"), deltaToken = store.token()))
 * changes.pages().collect { page ->
 *     page.changes.forEach { change ->
 *         when (change) {
 *             is Change.NewOrUpdated -> mirror.upsert(change.id, change.record)
 *             is Change.Deleted -> mirror.delete(change.id)
 *         }
 *     }
 *     store.save(page.continuationToken, page.deltaToken)
 * }
 * ```
 */
public interface ChangePager {
    /** The pages as a cold flow, from the first page of the run or from the page [continuationToken] designates. */
    @JvmSynthetic
    public fun pages(continuationToken: String? = null): Flow<ChangePage>

    /** The changes of [pages], in order, one page fetched at a time. The delta token is on the last page: use [pages] to keep it. */
    @JvmSynthetic
    public fun changes(continuationToken: String? = null): Flow<Change>

    /**
     * A cursor over the pages, from the first or from the page [continuationToken] designates. Nothing is sent until
     * [ChangeCursor.next] is called.
     */
    public fun cursor(continuationToken: String? = null): ChangeCursor
}

/**
 * Pages of one change listing, fetched one [next] call at a time under one correlation id. Not thread-safe: one consumer
 * at a time. A [next] that fails leaves the cursor where it was, so calling it again retries the same page. Closed as a
 * [PageCursor] is: [close] (or the garbage collector, for a cursor dropped) ends the run's operation.
 */
public interface ChangeCursor : AutoCloseable {
    /** The `x-ms-correlation-id` every request of this cursor sends. */
    public val correlationId: String

    /** Whether another page can be fetched: `true` before the first page and after every page but the last. */
    public val hasNext: Boolean

    /** The token of the page [next] fetches: `null` before the first page of a run started from its beginning, and at the end. */
    public val continuationToken: String?

    /** The delta token the run ended with, once the last page has been fetched; `null` before. */
    public val deltaToken: String?

    /**
     * Fetches the next page.
     *
     * @throws NoSuchElementException when [hasNext] is `false`.
     * @throws DeltaTokenExpiredException when the run's delta token or continuation token has expired: run a full sync.
     * @throws InvalidInputException when the continuation token the cursor started from is not a page of this table.
     */
    @JvmSynthetic
    public suspend fun next(): ChangePage

    /** Ends the run's operation if one is running (see [PageCursor.close]); idempotent, sends nothing, never throws. */
    override fun close()
}
