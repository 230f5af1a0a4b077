package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.search.SearchParameters
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * Dataverse native search 1.0, which Learn says "remains available" (Learn: "Dataverse native search 1.0"):
 * `POST /api/search/v1.0/{query,suggest,autocomplete}`. Its requests name the same things as 2.0's with other shapes
 * (`entities` a list of table names, `facets` and `orderby` lists, `returntotalrecordcount`, `searchmode`,
 * `searchtype: simple | full`, `usefuzzy`), and its answers are plain JSON, not a string: `query` answers `value` (each
 * result's columns with `@search.score`, `@search.highlights`, `@search.entityname`, `@search.objectid`), `facets` and
 * `totalrecordcount` (-1 unless asked for); `suggest` answers `value` of `text` and `document`; `autocomplete` a `value`
 * string. The same engine answers both versions, so only the shapes are translated here. Property names are matched
 * ignoring case, as for 2.0 (Learn writes them in lower case, DynamicsWebApi sends camel case).
 */
internal object SearchV1 {
    /** The 2.0 request body a 1.0 request [body] stands for. */
    fun toV2(body: JsonObject): JsonObject {
        val fields = body.entries.associate { it.key.lowercase() to it.value }
        return buildJsonObject {
            fields["search"]?.let { put("search", it) }
            (fields["entities"] as? JsonArray)?.let { names ->
                put("entities", JsonArray(names.map { JsonObject(mapOf("name" to it)) }).toString())
            }
            fields["filter"]?.let { put("filter", it) }
            (fields["facets"] as? JsonArray)?.let { put("facets", it.toString()) }
            (fields["orderby"] as? JsonArray)?.let { put("orderby", it.toString()) }
            fields["returntotalrecordcount"]?.let { put("count", it) }
            fields["usefuzzy"]?.let { put("fuzzy", it) }
            fields["top"]?.let { put("top", it) }
            fields["skip"]?.let { put("skip", it) }
            val options = buildJsonObject {
                (fields["searchmode"] as? JsonPrimitive)?.takeIf { it.isString }?.let { put("searchmode", it.content) }
                (fields["searchtype"] as? JsonPrimitive)?.takeIf { it.isString }?.let { put("querytype", if (it.content.equals("full", ignoreCase = true)) "lucene" else it.content) }
            }
            if (options.isNotEmpty()) put("options", options.toString())
        }
    }

    /** The 1.0 answer of a 2.0 [result] of [operation]. */
    fun fromV2(operation: String, result: JsonObject): JsonObject {
        val error = result["Error"] as? JsonObject
        if (error != null) {
            // A guess: 1.0 answers carry no Error member in Learn's examples; text the parser rejects is a 400 here.
            throw SearchParameters.invalid((error["message"] as? JsonPrimitive)?.content ?: "The search request is not valid.")
        }
        return when (operation) {
            SearchHandler.QUERY -> JsonObject(
                linkedMapOf(
                    "value" to JsonArray((result["Value"] as? JsonArray).orEmpty().map { queryHit(it as JsonObject) }),
                    "facets" to (result["Facets"] ?: JsonObject(emptyMap())),
                    "totalrecordcount" to (result["Count"] ?: JsonPrimitive(-1)),
                ),
            )
            SearchHandler.SUGGEST -> JsonObject(
                mapOf(
                    "value" to JsonArray(
                        (result["Value"] as? JsonArray).orEmpty().map { item ->
                            val suggestion = item as JsonObject
                            JsonObject(linkedMapOf("text" to (suggestion["Text"] ?: JsonNull), "document" to (suggestion["Document"] ?: JsonNull)))
                        },
                    ),
                ),
            )
            else -> JsonObject(mapOf("value" to (result["Value"] ?: JsonNull)))
        }
    }

    private fun queryHit(hit: JsonObject): JsonObject {
        val fields = LinkedHashMap<String, JsonElement>()
        fields["@search.score"] = hit["Score"] ?: JsonNull
        fields["@search.highlights"] = hit["Highlights"] ?: JsonObject(emptyMap())
        fields["@search.entityname"] = hit["EntityName"] ?: JsonNull
        fields["@search.objectid"] = hit["Id"] ?: JsonNull
        (hit["Attributes"] as? JsonObject)?.let { fields.putAll(it) }
        return JsonObject(fields)
    }
}
