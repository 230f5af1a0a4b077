package dev.dataverse

import kotlinx.coroutines.flow.Flow

/**
 * Queries beyond [Records.list]: FetchXML, the read-only SQL endpoint, and counting.
 *
 * ## Cancellation
 * Flows are cold and lazy: each page is requested when the collector needs it, and cancelling the collection stops.
 * [fetchXmlPager] and [sqlPager] give the same listings page by page, with continuation tokens (see [Pager]).
 */
public interface Query {
    /**
     * Runs a FetchXML query as a lazy flow of records, page by page ([pageSize] records per request, the `count`
     * attribute), following the service's paging cookie — or page numbers alone when the service returns no cookie.
     * Aggregate queries and queries with `top` are answered in one response.
     *
     * ```kotlin
     * client.query.fetchXml("""<fetch><entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>""")
     *     .collect { println(it.getString("name")) }
     * ```
     * A query whose URL passes the service's 32 KB limit for a GET is sent inside a `$batch` (up to 64 KB).
     *
     * @throws InvalidInputException (when collected, before anything is sent) for XML that is not well-formed, has no
     *   `<fetch><entity name>`, uses a DTD, a [pageSize] outside 1..5000, or a page URL longer than 64 KB.
     * @throws MalformedResponseException (when collected) when the service repeats a paging cookie it already sent,
     *   which would page forever.
     */
    public fun fetchXml(fetchXml: String, pageSize: Int = ListOptions.MAX_PAGE_SIZE, includeAnnotations: Boolean = false): Flow<DataverseRecord>

    /**
     * The FetchXML query of [fetchXml] as a [Pager]: its pages, each with a continuation token that carries the page
     * number and the service's paging cookie, so a listing can be resumed later. The records of this pager are what
     * [fetchXml] returns; the same errors apply, raised when the first page is fetched. A token of another query (another
     * root entity) is refused with [InvalidInputException].
     */
    public fun fetchXmlPager(fetchXml: String, pageSize: Int = ListOptions.MAX_PAGE_SIZE, includeAnnotations: Boolean = false): Pager

    /**
     * Runs a read-only SQL `SELECT` through the Web API's `?sql=` option as a lazy flow of records, following next links.
     * The service pages the results: take what you need from the flow. `TOP` is sent as written, for the service to
     * accept or refuse: Learn's Web API page says it is not supported, its page on the SDK for Python uses it.
     *
     * @throws InvalidInputException (when collected, before anything is sent) for anything but a single SELECT
     *   statement (INSERT, UPDATE, DELETE, DDL, EXEC, several statements...), one without a FROM table, or one using
     *   what the service refuses (Learn, "Use SQL to query data"): `SELECT *`, `OFFSET … FETCH`, RIGHT/FULL/CROSS
     *   joins, HAVING, UNION/INTERSECT/EXCEPT, EXISTS, subqueries, `WITH`.
     * @throws MalformedResponseException (when collected) when the service sends a next link that is not absolute, on
     *   the environment's API root, under the queried table's entity set, free of whitespace, control characters and
     *   dot-segments — or one it already sent. Nothing more is sent.
     */
    public fun sql(sql: String): Flow<DataverseRecord>

    /**
     * The SQL query of [sql] as a [Pager]: its pages, whose continuation tokens are the service's next links (checked
     * like them when handed back). The records of this pager are what [sql] returns; the same errors apply, raised when the
     * first page is fetched.
     */
    public fun sqlPager(sql: String): Pager

    /**
     * Counts the records of [table] matching [filter] (all when `null`). The service counts up to 5000, and up to 500 for
     * an elastic table: [RecordCount.isCapped] says when there are more (read from the `totalrecordcountlimitexceeded` annotation, which
     * the client asks for since the service sends it only on request).
     */
    public suspend fun count(table: String, filter: Filter? = null): RecordCount
}

/** The result of [Query.count]. */
public class RecordCount public constructor(
    /** The number of matching records, at most 5000 (500 for an elastic table). */
    public val count: Long,
    /**
     * `true` when more than [count] records match: the service stops counting at 5000. For an elastic table, whose count
     * stops at 500, a count of 500 is reported capped.
     */
    @get:JvmName("isCapped")
    public val isCapped: Boolean,
) {
    override fun toString(): String = if (isCapped) "RecordCount($count+)" else "RecordCount($count)"
}
