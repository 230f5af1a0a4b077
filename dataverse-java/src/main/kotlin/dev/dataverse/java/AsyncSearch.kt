package dev.dataverse.java

import dev.dataverse.Search
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchQuery
import dev.dataverse.SearchResults
import dev.dataverse.SearchSuggestQuery
import dev.dataverse.SearchSuggestion
import dev.dataverse.java.internal.SharedClient
import java.util.concurrent.CompletableFuture

/**
 * Dataverse search (relevance search across tables, suggestions, autocomplete) with `CompletableFuture`s; each method
 * adapts the one of [Search]. A failed future's `get()` throws `ExecutionException` whose cause is the
 * [dev.dataverse.DataverseException] (e.g. [dev.dataverse.SearchDisabledException]); cancelling the future cancels the
 * HTTP exchange.
 */
public class AsyncSearch private constructor(private val client: SharedClient) {
    private val search: Search get() = client.core.search

    /** Runs a search and returns one page of results; see [Search.query]. */
    public fun query(query: SearchQuery): CompletableFuture<SearchResults> = client.future { search.query(query) }

    /** Suggestions for a partially typed search; see [Search.suggest]. */
    public fun suggest(query: SearchSuggestQuery): CompletableFuture<List<SearchSuggestion>> = client.future { search.suggest(query) }

    /** The completion of a partially typed term, completed with null when there is none; see [Search.autocomplete]. */
    public fun autocomplete(query: SearchAutocompleteQuery): CompletableFuture<String?> = client.future { search.autocomplete(query) }

    override fun toString(): String = "AsyncSearch"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncSearch(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncSearch = AsyncSearch(client)
    }
}
