package dev.dataverse

/**
 * Dataverse search (relevance search): the native search 2.0 endpoint `POST [org]/api/search/v2.0/{query,suggest,
 * autocomplete}` (Learn: "Search for Dataverse records"). Unlike [Query], it searches the text of many tables at once,
 * ranked by relevance, from an index the service keeps of the tables and columns an administrator enabled for search.
 *
 * ```kotlin
 * val page = client.search.query(SearchQuery("contoso", top = 10, count = true, facets = listOf("entityname")))
 * page.results.forEach { println("${it.entityName} ${it.id} ${it.attributes["name"]} ${it.highlights}") }
 * val suggestions = client.search.suggest(SearchSuggestQuery("cont", top = 3))
 * val completion = client.search.autocomplete(SearchAutocompleteQuery("con")) // "{crmhit}contoso{/crmhit}"
 * ```
 * From Java use `DataverseBlockingClient.search()` or `DataverseAsyncClient.search()`.
 *
 * ## Errors
 * Queries are validated when built ([InvalidInputException]). When search is off for the environment every call fails
 * with [SearchDisabledException]; an error the search service reports inside its answer raises
 * [SearchFailedException]; a request the service rejects raises [BadRequestException]. Search has its own service
 * protection limit, one request per second per user and 150 per minute per organization: beyond it the service answers
 * 429 with `Retry-After`, which the client's retry policy honours before raising [ThrottledException].
 *
 * ### Prompt cancellation guarantee
 * Cancelling the calling coroutine cancels the HTTP exchange; nothing is left running.
 */
public interface Search {
    /**
     * Runs a search and returns one page of results (Learn: "Dataverse Search query"). Page with [SearchQuery.top] and
     * [SearchQuery.skip].
     *
     * @throws SearchDisabledException when search is off for the environment.
     * @throws SearchFailedException when the search service reports an error in its answer.
     */
    public suspend fun query(query: SearchQuery): SearchResults

    /**
     * Suggestions for a partially typed search (Learn: "Dataverse Search suggest").
     *
     * @throws SearchDisabledException when search is off for the environment.
     * @throws SearchFailedException when the search service reports an error in its answer.
     */
    public suspend fun suggest(query: SearchSuggestQuery): List<SearchSuggestion>

    /**
     * The completion of a partially typed term, with the completed term between [SearchResult.HIGHLIGHT_START] and
     * [SearchResult.HIGHLIGHT_END] (e.g. `{crmhit}contoso{/crmhit}`), or `null` when the service has none (Learn:
     * "Dataverse Search autocomplete").
     *
     * @throws SearchDisabledException when search is off for the environment.
     * @throws SearchFailedException when the search service reports an error in its answer.
     */
    public suspend fun autocomplete(query: SearchAutocompleteQuery): String?
}
