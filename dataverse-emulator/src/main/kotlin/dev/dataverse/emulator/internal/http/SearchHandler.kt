package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.json.BoundedJson
import dev.dataverse.emulator.internal.search.SearchEngine
import dev.dataverse.emulator.internal.search.SearchParameters
import dev.dataverse.emulator.internal.search.SearchSyntaxError
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The native search 2.0 endpoint, `POST /api/search/v2.0/{query,suggest,autocomplete}` (Learn: "Search for Dataverse
 * records"), and the 1.0 one ([handleV1]). Answers wrap the result JSON in a string, `{"response": "{\"Error\":null,\"Value\":[...]...}"}`, as the
 * service does. When search is off: 400 `0x80048d0b` "Dataverse Search feature is disabled for this organization."
 */
internal class SearchHandler(private val engine: SearchEngine) {
    /** `POST /api/search/v1.0/{operation}`: the 1.0 shapes of the same search (see [SearchV1]). */
    fun handleV1(request: ApiRequest, operation: String): ApiResponse =
        ApiResponse.json(200, SearchV1.fromV2(operation, search(request, operation, SearchV1::toV2)))

    fun handle(request: ApiRequest, operation: String): ApiResponse =
        ApiResponse.json(200, JsonObject(mapOf("response" to JsonPrimitive(search(request, operation) { it }.toString()))))

    /** Runs [operation] on the 2.0 form of the request's body ([asV2] turns the body into it). */
    private fun search(request: ApiRequest, operation: String, asV2: (JsonObject) -> JsonObject): JsonObject {
        val minLength = when (operation) {
            QUERY, AUTOCOMPLETE -> 1
            SUGGEST -> 3
            else -> throw ApiErrors.segmentNotFound(operation)
        }
        if (request.method != "POST") throw ApiException(405, ErrorCodesForSearch.METHOD, "The search $operation operation accepts POST only.")
        if (!engine.settings.enabled) throw ApiException(400, ErrorCodesForSearch.DISABLED, "Dataverse Search feature is disabled for this organization.")
        val json = try {
            BoundedJson.parse(request.body)
        } catch (e: IllegalArgumentException) {
            null
        } as? JsonObject ?: throw SearchParameters.invalid("The request body must be a JSON object with a 'search' parameter.")
        val body = asV2(json)
        val parameters = SearchParameters(body, minLength)
        return try {
            when (operation) {
                QUERY -> engine.query(parameters)
                SUGGEST -> engine.suggest(parameters)
                else -> engine.autocomplete(parameters)
            }
        } catch (e: SearchSyntaxError) {
            // Guess: Learn documents the answer's `Error` (code, message, propertybag) as the search index service's
            // error but shows no example; a text the parser rejects is reported there, with no results.
            JsonObject(
                linkedMapOf(
                    "Error" to JsonObject(mapOf("code" to JsonPrimitive(SYNTAX_ERROR_CODE), "message" to JsonPrimitive(e.message), "propertybag" to JsonNull)),
                    "Value" to JsonNull,
                    "QueryContext" to JsonNull,
                ),
            )
        }
    }

    private object ErrorCodesForSearch {
        /** Learn ("Search for Dataverse records", Error when search not enabled). */
        const val DISABLED = "0x80048d0b"

        /** Guess: the service's code for a wrong method on the search endpoint is not documented. */
        const val METHOD = "0x80060888"
    }

    companion object {
        /** The path of the native search endpoint; operations follow it. */
        const val ROOT_PATH: String = "/api/search/v2.0/"

        /** The path of the native search 1.0 endpoint, which Learn says remains available. */
        const val ROOT_PATH_V1: String = "/api/search/v1.0/"
        const val QUERY: String = "query"
        const val SUGGEST: String = "suggest"
        const val AUTOCOMPLETE: String = "autocomplete"

        /** Guess: the code the emulator puts in the answer's `Error` for search text it cannot parse. */
        const val SYNTAX_ERROR_CODE: String = "InvalidSearchSyntax"
    }
}
