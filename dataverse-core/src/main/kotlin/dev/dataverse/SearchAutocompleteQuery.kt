package dev.dataverse

import dev.dataverse.internal.protocol.SearchRequests

/**
 * Completion of the term being typed (`POST /api/search/v2.0/autocomplete`; Learn: "Dataverse Search autocomplete"):
 * typing `con` may complete to `contoso`.
 *
 * Kotlin: `client.search.autocomplete(SearchAutocompleteQuery("con", fuzzy = true))`.
 * Java: `client.search().autocomplete(SearchAutocompleteQuery.builder("con").fuzzy(true).build())`.
 */
public class SearchAutocompleteQuery @JvmOverloads constructor(
    /** The partial text, 1 to [SearchQuery.MAX_SEARCH_LENGTH] characters (Learn: autocomplete, search parameter). */
    public val search: String,
    entities: List<SearchEntity> = emptyList(),
    /** A filter over every table searched, as [SearchQuery.filter]. Default `null`: none. */
    public val filter: String? = null,
    /**
     * Tolerate one substituted, missing, extra or transposed character in the whole text (`fuzzy`). Default `false`,
     * the service's default; fuzzy matching is slower.
     */
    public val fuzzy: Boolean = false,
) {
    /** Tables and columns to complete from, as [SearchQuery.entities]; empty (the default) uses every table enabled for search. */
    public val entities: List<SearchEntity> = entities.toList()

    init {
        SearchRequests.requireSearch(search, SearchQuery.MIN_SEARCH_LENGTH)
        SearchRequests.requireEntities(this.entities)
        SearchRequests.requireFilter(filter, "filter")
    }

    override fun equals(other: Any?): Boolean = other is SearchAutocompleteQuery && other.search == search &&
        other.entities == entities && other.filter == filter && other.fuzzy == fuzzy

    override fun hashCode(): Int = listOf(search, entities, filter, fuzzy).hashCode()

    override fun toString(): String = "SearchAutocompleteQuery(search=$search, entities=$entities, filter=$filter, fuzzy=$fuzzy)"

    /** Fluent builder for Java callers. Every setter returns this builder; [build] validates. */
    public class Builder(private var search: String) {
        private var entities: List<SearchEntity> = emptyList()
        private var filter: String? = null
        private var fuzzy = false

        /** @see SearchAutocompleteQuery.search */
        public fun search(search: String): Builder = apply { this.search = search }

        /** @see SearchAutocompleteQuery.entities */
        public fun entities(vararg entities: SearchEntity): Builder = apply { this.entities = entities.toList() }

        /** @see SearchAutocompleteQuery.entities */
        public fun entities(entities: List<SearchEntity>): Builder = apply { this.entities = entities.toList() }

        /** @see SearchAutocompleteQuery.filter */
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** @see SearchAutocompleteQuery.fuzzy */
        public fun fuzzy(fuzzy: Boolean): Builder = apply { this.fuzzy = fuzzy }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): SearchAutocompleteQuery = SearchAutocompleteQuery(search, entities, filter, fuzzy)
    }

    public companion object {
        /** A builder for completions of [search]. */
        @JvmStatic
        public fun builder(search: String): Builder = Builder(search)
    }
}
