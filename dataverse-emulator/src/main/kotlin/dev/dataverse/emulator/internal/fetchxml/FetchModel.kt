package dev.dataverse.emulator.internal.fetchxml

/** A parsed `<fetch>` document, not yet checked against the catalog. */
internal data class FetchDocument(
    val entity: FetchEntity,
    /** `count`: the page size. */
    val count: Int?,
    /** `page`: the page number, from 1. */
    val page: Int?,
    /** `paging-cookie`: the inner cookie of the previous page, as the client sends it back. */
    val pagingCookie: String?,
    val top: Int?,
    val distinct: Boolean,
    val aggregate: Boolean,
    val returnTotalRecordCount: Boolean,
    /** `useraworderby`: sort choice columns by value instead of label. */
    val rawOrderBy: Boolean,
    /** `aggregatelimit`: a per-query limit of the records an aggregate query may evaluate, below the service's 50,000. */
    val aggregateLimit: Int? = null,
)

/** An `<entity>` or the entity part of a `<link-entity>`: the table, its columns, filters, orders and links. */
internal data class FetchEntity(
    val name: String,
    val allAttributes: Boolean,
    val attributes: List<FetchAttribute>,
    val orders: List<FetchOrder>,
    val filters: List<FetchFilter>,
    val links: List<FetchLink>,
)

/** A `<link-entity>`: [from] is the column of the linked table, [to] the column of its parent. */
internal data class FetchLink(val entity: FetchEntity, val from: String, val to: String, val outer: Boolean, val alias: String?)

/** An `<attribute>`, possibly aliased, aggregated or grouped by. */
internal data class FetchAttribute(
    val name: String,
    val alias: String?,
    val aggregate: String?,
    val groupBy: Boolean,
    val distinct: Boolean,
    val dateGrouping: String?,
)

/** An `<order>` by [attribute] (of [entityName]'s link when set) or, in aggregate queries, by [alias]. */
internal data class FetchOrder(val attribute: String?, val alias: String?, val entityName: String?, val descending: Boolean)

/** A part of a `<filter>`: a condition or a nested filter. */
internal sealed interface FetchCriterion

/** A `<filter type="and|or">`. */
internal data class FetchFilter(val or: Boolean, val criteria: List<FetchCriterion>) : FetchCriterion

/** A `<condition>`; [values] holds the `value` attribute or the `<value>` children. */
internal data class FetchCondition(
    val attribute: String,
    val operator: String,
    val values: List<String>,
    val entityName: String?,
) : FetchCriterion
