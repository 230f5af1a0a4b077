package dev.dataverse

/**
 * One page of a query's results.
 *
 * Pass [continuationToken] back to [Records.page] (or the Java facades' equivalents) to fetch the next page, for instance
 * across HTTP requests of a web application. Tokens are only valid for the client's own environment and the same query.
 */
public class Page(
    /** The records of this page, in the service's order. */
    public val records: List<DataverseRecord>,
    /** Opaque token for the next page; `null` on the last page. */
    public override val continuationToken: String?,
    /**
     * The total number of matching rows when [ListOptions.count] was asked for, else `null`. The service caps it at 5000
     * (500 for elastic tables): see [totalCountLimitExceeded].
     */
    public val totalCount: Long?,
    /**
     * `true` when the service reports more matching rows than [totalCount] can show (its 5000 cap), and for an elastic
     * table when [totalCount] reached its cap of 500.
     */
    public val totalCountLimitExceeded: Boolean,
) : ContinuablePage<DataverseRecord> {
    /** The same list as [records], for code written against any [ContinuablePage]. */
    override val items: List<DataverseRecord> get() = records

    /** Whether a next page exists. */
    @get:JvmName("hasNext")
    public val hasNext: Boolean get() = continuationToken != null

    override fun toString(): String =
        "Page(records=${records.size}, hasNext=$hasNext" + (totalCount?.let { ", totalCount=$it" } ?: "") + ")"
}
