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
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.ApiResponse
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.operation
import io.ktor.http.HttpMethod

/**
 * [Search] over the transport. The search 2.0 endpoint lives outside the Web API root, at
 * `{environmentUrl}/api/search/v2.0/`, so requests carry absolute URLs, which the origin guard accepts on this
 * environment only.
 */
internal class RealSearch(private val transport: HttpTransport, environmentUrl: String) : Search {
    private val root = environmentUrl + SearchRequests.PATH

    override suspend fun query(query: SearchQuery): SearchResults = operation(transport, "search.query") {
        SearchResponses.results(send("query", SearchRequests.queryBody(query), "search query"))
    }

    override suspend fun suggest(query: SearchSuggestQuery): List<SearchSuggestion> = operation(transport, "search.suggest") {
        SearchResponses.suggestions(send("suggest", SearchRequests.suggestBody(query), "search suggest"))
    }

    override suspend fun autocomplete(query: SearchAutocompleteQuery): String? = operation(transport, "search.autocomplete") {
        SearchResponses.completion(send("autocomplete", SearchRequests.autocompleteBody(query), "search autocomplete"))
    }

    private suspend fun send(operation: String, body: String, what: String): SearchResponses.Answer {
        // A search only reads: sending it again after a failure in flight cannot change anything.
        val response = transport.send(ApiRequest(HttpMethod.Post, root + operation, body = RequestBody.Json(body), idempotent = true))
        val answer = SearchResponses.answer(response.body, what)
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
