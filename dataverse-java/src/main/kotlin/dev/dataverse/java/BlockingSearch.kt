package dev.dataverse.java

import dev.dataverse.Search
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchQuery
import dev.dataverse.SearchResults
import dev.dataverse.SearchSuggestQuery
import dev.dataverse.SearchSuggestion
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.blocking

/**
 * Dataverse search (relevance search across tables, suggestions, autocomplete), blocking; each method adapts the one of
 * [Search] and throws what it throws ([dev.dataverse.SearchDisabledException] when search is off for the environment).
 * ```java
 * SearchResults page = client.search().query(SearchQuery.builder("contoso").top(10).count(true).build());
 * for (SearchResult result : page.getResults()) System.out.println(result.getEntityName() + " " + result.getHighlights());
 * ```
 * An interrupted call is cancelled and throws [dev.dataverse.OperationInterruptedException].
 */
public class BlockingSearch private constructor(private val client: SharedClient) {
    private val search: Search get() = client.core.search

    /** Runs a search and returns one page of results; see [Search.query]. */
    public fun query(query: SearchQuery): SearchResults = blocking { search.query(query) }

    /** Suggestions for a partially typed search; see [Search.suggest]. */
    public fun suggest(query: SearchSuggestQuery): List<SearchSuggestion> = blocking { search.suggest(query) }

    /** The completion of a partially typed term, or null; see [Search.autocomplete]. */
    public fun autocomplete(query: SearchAutocompleteQuery): String? = blocking { search.autocomplete(query) }

    override fun toString(): String = "BlockingSearch"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingSearch(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingSearch = BlockingSearch(client)
    }
}
