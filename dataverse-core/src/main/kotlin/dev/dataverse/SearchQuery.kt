package dev.dataverse

import dev.dataverse.internal.protocol.SearchRequests

/**
 * A Dataverse search (`POST /api/search/v2.0/query`; Learn: "Dataverse Search query"): relevance search across the
 * tables enabled for search, with facets, filters, ordering and paging by [top] and [skip].
 *
 * Kotlin:
 * ```kotlin
 * val results = client.search.query(
 *     SearchQuery("contoso", entities = listOf(SearchEntity("account", selectColumns = listOf("name"))), top = 10, count = true),
 * )
 * ```
 * Java: `SearchQuery.builder("contoso").entities(SearchEntity.builder("account").selectColumns("name").build()).top(10).count(true).build()`.
 *
 * Every value is checked here against the documented limits (search text 1 to 100 characters, [top] at most 100,
 * well-formed facets and order clauses), so bad input raises [InvalidInputException] before anything is sent.
 */
public class SearchQuery @JvmOverloads constructor(
    /**
     * The text to search for, 1 to [MAX_SEARCH_LENGTH] characters, in the syntax [queryType] names. Escape the simple
     * syntax's operator characters with a backslash to search for them literally (see [SearchQuery.escape]).
     */
    public val search: String,
    entities: List<SearchEntity> = emptyList(),
    /**
     * A filter over every table searched, in the search filter syntax (`createdon gt 2022-08-15`); typically on
     * columns all tables share. Sent as written. Default `null`: none.
     */
    public val filter: String? = null,
    facets: List<String> = emptyList(),
    orderBy: List<String> = emptyList(),
    /** Whether to return the total number of matches, ignoring [top] and [skip], as [SearchResults.totalCount]. Default `false`. */
    public val count: Boolean = false,
    /** How many results to return, 1 to [MAX_TOP]; `null` (the default) lets the service return up to 50. */
    public val top: Int? = null,
    /** How many results to skip, for paging with [top]; `null` (the default) skips none. */
    public val skip: Int? = null,
    /** Whether any or all terms must match; `null` (the default) leaves the service's default, [SearchMode.ANY]. */
    public val searchMode: SearchMode? = null,
    /** The syntax of [search]; `null` (the default) leaves the service's default, [SearchQueryType.SIMPLE]. */
    public val queryType: SearchQueryType? = null,
    /**
     * Let the service return probable results when nothing matches well (`besteffortsearchenabled`). `null` (the
     * default) leaves the service's default.
     */
    public val bestEffortSearch: Boolean? = null,
    /**
     * Rank results for display grouped by table (`grouprankingenabled`). `null` (the default) leaves the service's
     * default.
     */
    public val groupRanking: Boolean? = null,
) {
    /** Tables to search, each with its own columns and filter; empty (the default) searches every table enabled for search. */
    public val entities: List<SearchEntity> = entities.toList()

    /**
     * Facets to compute over the matches, each `field[,param:value...]`: `entityname,count:100`,
     * `account:primarycontactid,count:20`, `createdon,values:2024-01-01T00:00:00|2025-01-01T00:00:00`. Parameters are
     * `count` and `sort` (`count`, `-count`, `value`, `-value`), or `values` or `interval` (with `timeoffset`); `count`
     * and `sort` cannot be combined with `values` or `interval`, nor `values` with `interval`. Results arrive in
     * [SearchResults.facets] by field.
     */
    public val facets: List<String> = facets.toList()

    /**
     * Sort order, in precedence: a column or `@search.score`, optionally followed by ` asc` (the default) or ` desc`.
     * Across several tables use columns all of them have (`modifiedon`, `createdon`). Empty (the default): by relevance.
     */
    public val orderBy: List<String> = orderBy.toList()

    init {
        SearchRequests.requireSearch(search, MIN_SEARCH_LENGTH)
        SearchRequests.requireEntities(this.entities)
        SearchRequests.requireFilter(filter, "filter")
        SearchRequests.requireFacets(this.facets)
        SearchRequests.requireOrderBy(this.orderBy)
        if (top != null && top !in 1..MAX_TOP) throw InvalidInputException("'top' must be between 1 and $MAX_TOP, but was $top.")
        if (skip != null && skip < 0) throw InvalidInputException("'skip' must not be negative, but was $skip.")
    }

    /** A builder initialised with this query. */
    public fun toBuilder(): Builder = Builder(search).entities(entities).filter(filter).facets(facets).orderBy(orderBy)
        .count(count).top(top).skip(skip).searchMode(searchMode).queryType(queryType).bestEffortSearch(bestEffortSearch)
        .groupRanking(groupRanking)

    private fun values(): List<Any?> = listOf(
        search, entities, filter, facets, orderBy, count, top, skip, searchMode, queryType, bestEffortSearch, groupRanking,
    )

    override fun equals(other: Any?): Boolean = other is SearchQuery && other.values() == values()

    override fun hashCode(): Int = values().hashCode()

    override fun toString(): String =
        "SearchQuery(search=$search, entities=$entities, filter=$filter, facets=$facets, orderBy=$orderBy, count=$count, " +
            "top=$top, skip=$skip, searchMode=$searchMode, queryType=$queryType, bestEffortSearch=$bestEffortSearch, " +
            "groupRanking=$groupRanking)"

    /** Fluent builder for Java callers. Every setter returns this builder; [build] validates. */
    public class Builder(private var search: String) {
        private var entities: List<SearchEntity> = emptyList()
        private var filter: String? = null
        private var facets: List<String> = emptyList()
        private var orderBy: List<String> = emptyList()
        private var count = false
        private var top: Int? = null
        private var skip: Int? = null
        private var searchMode: SearchMode? = null
        private var queryType: SearchQueryType? = null
        private var bestEffortSearch: Boolean? = null
        private var groupRanking: Boolean? = null

        /** @see SearchQuery.search */
        public fun search(search: String): Builder = apply { this.search = search }

        /** @see SearchQuery.entities */
        public fun entities(vararg entities: SearchEntity): Builder = apply { this.entities = entities.toList() }

        /** @see SearchQuery.entities */
        public fun entities(entities: List<SearchEntity>): Builder = apply { this.entities = entities.toList() }

        /** @see SearchQuery.filter */
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** @see SearchQuery.facets */
        public fun facets(vararg facets: String): Builder = apply { this.facets = facets.toList() }

        /** @see SearchQuery.facets */
        public fun facets(facets: List<String>): Builder = apply { this.facets = facets.toList() }

        /** @see SearchQuery.orderBy */
        public fun orderBy(vararg clauses: String): Builder = apply { orderBy = clauses.toList() }

        /** @see SearchQuery.orderBy */
        public fun orderBy(clauses: List<String>): Builder = apply { orderBy = clauses.toList() }

        /** @see SearchQuery.count */
        public fun count(count: Boolean): Builder = apply { this.count = count }

        /** @see SearchQuery.top */
        public fun top(top: Int?): Builder = apply { this.top = top }

        /** @see SearchQuery.skip */
        public fun skip(skip: Int?): Builder = apply { this.skip = skip }

        /** @see SearchQuery.searchMode */
        public fun searchMode(mode: SearchMode?): Builder = apply { searchMode = mode }

        /** @see SearchQuery.queryType */
        public fun queryType(type: SearchQueryType?): Builder = apply { queryType = type }

        /** @see SearchQuery.bestEffortSearch */
        public fun bestEffortSearch(enabled: Boolean?): Builder = apply { bestEffortSearch = enabled }

        /** @see SearchQuery.groupRanking */
        public fun groupRanking(enabled: Boolean?): Builder = apply { groupRanking = enabled }

        /** Validates and builds the query. @throws InvalidInputException naming the invalid option. */
        public fun build(): SearchQuery = SearchQuery(
            search, entities, filter, facets, orderBy, count, top, skip, searchMode, queryType, bestEffortSearch, groupRanking,
        )
    }

    public companion object {
        /** The longest search text the service accepts (Learn: "Dataverse Search query", search parameter). */
        public const val MAX_SEARCH_LENGTH: Int = 100

        /** The shortest search text of a query or an autocomplete: one character. */
        public const val MIN_SEARCH_LENGTH: Int = 1

        /** The largest [top] (Learn: "skip and top parameters"); without [top] the service returns up to 50. */
        public const val MAX_TOP: Int = 100

        /** A builder for a search for [search]. */
        @JvmStatic
        public fun builder(search: String): Builder = Builder(search)

        /**
         * [text] with every character the simple syntax treats as an operator (`+ - & | ! ( ) { } [ ] ^ " ~ * ? : \ /`)
         * escaped with a backslash, to search for it literally (Learn: "Dataverse Search query", search parameter).
         */
        @JvmStatic
        public fun escape(text: String): String = SearchRequests.escape(text)
    }
}
