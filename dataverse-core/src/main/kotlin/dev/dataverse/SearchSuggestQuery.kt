package dev.dataverse

import dev.dataverse.internal.protocol.SearchRequests

/**
 * Suggestions for a search box as the user types (`POST /api/search/v2.0/suggest`; Learn: "Dataverse Search
 * suggest"): records whose searched columns match the partial text, each with the matching text highlighted.
 *
 * Kotlin: `client.search.suggest(SearchSuggestQuery("cont", top = 3))`.
 * Java: `client.search().suggest(SearchSuggestQuery.builder("cont").top(3).build())`.
 */
public class SearchSuggestQuery @JvmOverloads constructor(
    /** The partial text, [MIN_SEARCH_LENGTH] to [SearchQuery.MAX_SEARCH_LENGTH] characters (Learn: suggest, search parameter). */
    public val search: String,
    entities: List<SearchEntity> = emptyList(),
    /** A filter over every table searched, as [SearchQuery.filter]. Default `null`: none. */
    public val filter: String? = null,
    /** Tolerate misspellings (`fuzzy`). Default `false`, the service's default; fuzzy matching is slower. */
    public val fuzzy: Boolean = false,
    orderBy: List<String> = emptyList(),
    /** How many suggestions, 1 to [MAX_TOP]; `null` (the default) lets the service return 5. */
    public val top: Int? = null,
    /**
     * Route the request through the service's advanced suggest algorithm (the `advancedsuggestenabled` option, the
     * only option Learn lists for suggest). `null` (the default) leaves the service's default.
     */
    public val advancedSuggest: Boolean? = null,
) {
    /** Tables to search, as [SearchQuery.entities]; empty (the default) searches every table enabled for search. */
    public val entities: List<SearchEntity> = entities.toList()

    /** Sort order of the suggestions, as [SearchQuery.orderBy]. Empty (the default): by relevance. */
    public val orderBy: List<String> = orderBy.toList()

    init {
        SearchRequests.requireSearch(search, MIN_SEARCH_LENGTH)
        SearchRequests.requireEntities(this.entities)
        SearchRequests.requireFilter(filter, "filter")
        SearchRequests.requireOrderBy(this.orderBy)
        if (top != null && top !in 1..MAX_TOP) throw InvalidInputException("'top' must be between 1 and $MAX_TOP, but was $top.")
    }

    private fun values(): List<Any?> = listOf(search, entities, filter, fuzzy, orderBy, top, advancedSuggest)

    override fun equals(other: Any?): Boolean = other is SearchSuggestQuery && other.values() == values()

    override fun hashCode(): Int = values().hashCode()

    override fun toString(): String =
        "SearchSuggestQuery(search=$search, entities=$entities, filter=$filter, fuzzy=$fuzzy, orderBy=$orderBy, top=$top, " +
            "advancedSuggest=$advancedSuggest)"

    /** Fluent builder for Java callers. Every setter returns this builder; [build] validates. */
    public class Builder(private var search: String) {
        private var entities: List<SearchEntity> = emptyList()
        private var filter: String? = null
        private var fuzzy = false
        private var orderBy: List<String> = emptyList()
        private var top: Int? = null
        private var advancedSuggest: Boolean? = null

        /** @see SearchSuggestQuery.search */
        public fun search(search: String): Builder = apply { this.search = search }

        /** @see SearchSuggestQuery.entities */
        public fun entities(vararg entities: SearchEntity): Builder = apply { this.entities = entities.toList() }

        /** @see SearchSuggestQuery.entities */
        public fun entities(entities: List<SearchEntity>): Builder = apply { this.entities = entities.toList() }

        /** @see SearchSuggestQuery.filter */
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** @see SearchSuggestQuery.fuzzy */
        public fun fuzzy(fuzzy: Boolean): Builder = apply { this.fuzzy = fuzzy }

        /** @see SearchSuggestQuery.orderBy */
        public fun orderBy(vararg clauses: String): Builder = apply { orderBy = clauses.toList() }

        /** @see SearchSuggestQuery.orderBy */
        public fun orderBy(clauses: List<String>): Builder = apply { orderBy = clauses.toList() }

        /** @see SearchSuggestQuery.top */
        public fun top(top: Int?): Builder = apply { this.top = top }

        /** @see SearchSuggestQuery.advancedSuggest */
        public fun advancedSuggest(enabled: Boolean?): Builder = apply { advancedSuggest = enabled }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): SearchSuggestQuery = SearchSuggestQuery(search, entities, filter, fuzzy, orderBy, top, advancedSuggest)
    }

    public companion object {
        /** The shortest text suggest accepts: three characters (Learn: "Dataverse Search suggest", search parameter). */
        public const val MIN_SEARCH_LENGTH: Int = 3

        /**
         * The largest [top]. Learn's suggest page gives no maximum; 100 is the limit of the Azure AI Search suggest API
         * underneath (its `$top`), so larger values would fail there.
         */
        public const val MAX_TOP: Int = 100

        /** A builder for suggestions for [search]. */
        @JvmStatic
        public fun builder(search: String): Builder = Builder(search)
    }
}
