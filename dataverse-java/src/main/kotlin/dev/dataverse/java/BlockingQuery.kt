package dev.dataverse.java

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.Query
import dev.dataverse.RecordCount
import dev.dataverse.java.internal.BlockingPaged
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.blocking

/**
 * FetchXML, SQL and counting for blocking Java code; see the Kotlin [Query] for the semantics.
 *
 * ```java
 * try (Stream<DataverseRecord> rows = client.query().fetchXml("<fetch><entity name='account'><attribute name='name'/></entity></fetch>", 500).stream()) {
 *     rows.forEach(r -> System.out.println(r.getString("name")));
 * }
 * RecordCount active = client.query().count("account", Filter.eq("statecode", 0));
 * ```
 * Listings are [PagedIterable]s, lazy — a page is requested when its first record is consumed, nothing runs between
 * pages — and resumable from a page's continuation token ([PagedIterable.iterableByPage]). Input errors ([dev.dataverse.InvalidInputException]: malformed FetchXML, a write statement
 * through [sql]) are thrown by the first pull of an iteration, before anything is sent. Interrupting a thread blocked in a
 * pull cancels the request and throws [dev.dataverse.OperationInterruptedException].
 */
public class BlockingQuery private constructor(private val client: SharedClient) {
    private val query: Query get() = client.core.query

    /** Runs a FetchXML query, [pageSize] records per request (1..5000, default 5000), with annotations if asked. */
    @JvmOverloads
    public fun fetchXml(fetchXml: String, pageSize: Int = ListOptions.MAX_PAGE_SIZE, includeAnnotations: Boolean = false): PagedIterable =
        BlockingPaged(query.fetchXmlPager(fetchXml, pageSize, includeAnnotations))

    /** Runs a read-only SQL `SELECT` through the `?sql=` option. */
    public fun sql(sql: String): PagedIterable = BlockingPaged(query.sqlPager(sql))

    /** Counts the records of [table] matching [filter] (all when `null`), up to the service's cap of 5000. */
    @JvmOverloads
    public fun count(table: String, filter: Filter? = null): RecordCount = blocking { query.count(table, filter) }

    override fun toString(): String = "BlockingQuery"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingQuery(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingQuery = BlockingQuery(client)
    }
}
