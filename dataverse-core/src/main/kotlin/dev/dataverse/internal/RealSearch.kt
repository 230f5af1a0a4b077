package dev.dataverse.internal

import dev.dataverse.Search
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchFailedException
import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.SearchQuery
import dev.dataverse.SearchResults
import dev.dataverse.SearchSuggestQuery
import dev.dataverse.SearchSuggestion
import dev.dataverse.internal.protocol.SearchRequests
import dev.dataverse.internal.protocol.SearchResponses
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation

/**
 * [Search] over the transport. The search 2.0 endpoint lives outside the Web API root, at
 * `{environmentUrl}/api/search/v2.0/`, so requests carry absolute URLs, which the origin guard accepts on this
 * environment only.
 */
internal class RealSearch(private val transport: HttpTransport, private val environmentUrl: String) : Search {
    override suspend fun query(query: SearchQuery): SearchResults = operation(transport, "search.query") {
        SearchResponses.results(send(SearchRequests.query(environmentUrl, query), "search query", SearchResponses.Item.RESULTS))
    }

    override suspend fun suggest(query: SearchSuggestQuery): List<SearchSuggestion> = operation(transport, "search.suggest") {
        SearchResponses.suggestions(send(SearchRequests.suggest(environmentUrl, query), "search suggest", SearchResponses.Item.SUGGESTIONS))
    }

    override suspend fun autocomplete(query: SearchAutocompleteQuery): String? = operation(transport, "search.autocomplete") {
        SearchResponses.completion(send(SearchRequests.autocomplete(environmentUrl, query), "search autocomplete", SearchResponses.Item.NONE))
    }

    private suspend fun send(request: ApiRequest, what: String, items: SearchResponses.Item): SearchResponses.Answer {
        val response = transport.send(request)
        val answer = SearchResponses.answer(response.body, what, items)
        answer.error?.let { throw failed(response, it) }
        return answer
    }

    /** The error a search answer carries inside its 200, redacted as every message from a response is. */
    private fun failed(response: ApiResponse, error: SearchResponses.InnerError): SearchFailedException {
        val code = error.code?.let(Redaction::redact)
        val message = Redaction.redact(error.message)
        return SearchFailedException(failedDetails(response, code, message))
    }

    private fun failedDetails(response: ApiResponse, code: String?, message: String?) =
        ErrorDetails(
            message = "The search service reported an error${code?.let { " ($it)" } ?: ""}: $message",
            serviceMessage = message,
            statusCode = response.status,
            errorCode = code,
            serviceRequestId = response.header("x-ms-service-request-id"),
            ids = response.ids,
            isTransient = false,
            retryAfter = null,
        )
}
