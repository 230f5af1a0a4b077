package dev.dataverse.java

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.Query
import dev.dataverse.RecordCount
import dev.dataverse.java.internal.AsyncPaged
import dev.dataverse.java.internal.SharedClient
import java.util.concurrent.CompletableFuture

/**
 * FetchXML, SQL and counting for asynchronous Java code; see the Kotlin [Query] for the semantics.
 *
 * Rows arrive through a [PagedPublisher] (a `java.util.concurrent.Flow.Publisher` of records, of pages, and page
 * futures with continuation tokens) that requests pages as the subscriber's demand needs them; cancelling the
 * subscription stops fetching. Errors, input errors included, reach `onError` (for publishers) or fail the
 * future (for [count]).
 */
public class AsyncQuery private constructor(private val client: SharedClient) {
    private val query: Query get() = client.core.query

    /** Runs a FetchXML query, [pageSize] records per request (1..5000, default 5000). */
    @JvmOverloads
    public fun fetchXml(fetchXml: String, pageSize: Int = ListOptions.MAX_PAGE_SIZE, includeAnnotations: Boolean = false): PagedPublisher =
        AsyncPaged(client) { query.fetchXmlPager(fetchXml, pageSize, includeAnnotations) }

    /** Runs a read-only SQL `SELECT` through the `?sql=` option. */
    public fun sql(sql: String): PagedPublisher = AsyncPaged(client) { query.sqlPager(sql) }

    /** Counts the records of [table] matching [filter] (all when `null`), up to the service's cap of 5000. */
    @JvmOverloads
    public fun count(table: String, filter: Filter? = null): CompletableFuture<RecordCount> = client.future { query.count(table, filter) }

    override fun toString(): String = "AsyncQuery"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncQuery(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncQuery = AsyncQuery(client)
    }
}
