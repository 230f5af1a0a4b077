package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.search.SearchEngine
import dev.dataverse.emulator.internal.search.SearchParameters
import dev.dataverse.emulator.internal.search.SearchSyntaxError
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The native search 2.0 endpoint, `POST /api/search/v2.0/{query,suggest,autocomplete}` (Learn: "Search for Dataverse
 * records"). Answers wrap the result JSON in a string, `{"response": "{\"Error\":null,\"Value\":[...]...}"}`, as the
 * service does. When search is off: 400 `0x80048d0b` "Dataverse Search feature is disabled for this organization."
 */
internal class SearchHandler(private val engine: SearchEngine) {
    fun handle(request: ApiRequest, operation: String): ApiResponse {
        val minLength = when (operation) {
            QUERY, AUTOCOMPLETE -> 1
            SUGGEST -> 3
            else -> throw ApiErrors.segmentNotFound(operation)
        }
        if (request.method != "POST") throw ApiException(405, ErrorCodesForSearch.METHOD, "The search $operation operation accepts POST only.")
        if (!engine.settings.enabled) throw ApiException(400, ErrorCodesForSearch.DISABLED, "Dataverse Search feature is disabled for this organization.")
        val body = runCatching { Json.parseToJsonElement(request.body.decodeToString()) }.getOrNull() as? JsonObject
            ?: throw SearchParameters.invalid("The request body must be a JSON object with a 'search' parameter.")
        val parameters = SearchParameters(body, minLength)
        val result = try {
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
        return ApiResponse.json(200, JsonObject(mapOf("response" to JsonPrimitive(result.toString()))))
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
        const val QUERY: String = "query"
        const val SUGGEST: String = "suggest"
        const val AUTOCOMPLETE: String = "autocomplete"

        /** Guess: the code the emulator puts in the answer's `Error` for search text it cannot parse. */
        const val SYNTAX_ERROR_CODE: String = "InvalidSearchSyntax"
    }
}
