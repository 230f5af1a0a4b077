package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.json.BoundedJson
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.intOrNull

/** One entry of the `entities` parameter (Learn: "Dataverse Search query", SearchEntity type). */
internal class EntityScope(val name: String, val selectColumns: List<String>, val searchColumns: List<String>, val filter: String?)

/**
 * The body of a search 2.0 request, read as the service documents it: `entities`, `facets`, `orderby` and `options` are
 * strings holding JSON (the string `"null"` meaning none, as Learn's Web API examples send), the rest plain values.
 * Field names are matched ignoring case, as the service's JSON reader does. Bad values are 400s.
 */
internal class SearchParameters(body: JsonObject, minSearchLength: Int) {
    private val fields = body.entries.associate { it.key.lowercase() to it.value }

    val search: String = (fields["search"] as? JsonPrimitive)?.takeIf { it.isString }?.content
        ?: throw invalid("The 'search' parameter is required.")
    val entities: List<EntityScope>? = jsonText("entities")?.let(::entities)
    val filter: String? = string("filter")?.takeIf { it.isNotBlank() }
    val facets: List<String> = jsonText("facets")?.let { stringList(it, "facets") } ?: emptyList()
    val orderBy: List<String> = jsonText("orderby")?.let { text ->
        if (text.trimStart().startsWith("[")) stringList(text, "orderby") else text.split(',').map { it.trim() }.filter { it.isNotEmpty() }
    } ?: emptyList()
    val count: Boolean = (fields["count"] as? JsonPrimitive)?.booleanOrNull ?: false
    val fuzzy: Boolean = (fields["fuzzy"] as? JsonPrimitive)?.booleanOrNull ?: false
    val top: Int? = int("top")
    val skip: Int? = int("skip")
    private val options: Map<String, String> = jsonText("options")?.let(::options) ?: emptyMap()
    val lucene: Boolean = when (val type = options["querytype"]?.lowercase()) {
        null, "simple" -> false
        "lucene", "full" -> true
        else -> throw invalid("Invalid option querytype '$type': expected 'simple' or 'lucene'.")
    }
    val searchModeAll: Boolean = when (val mode = options["searchmode"]?.lowercase()) {
        null, "any" -> false
        "all" -> true
        else -> throw invalid("Invalid option searchmode '$mode': expected 'any' or 'all'.")
    }

    init {
        // Learn: query and autocomplete take 1 to 100 characters, suggest 3 to 100.
        if (search.isBlank() || search.length < minSearchLength || search.length > MAX_SEARCH_LENGTH) {
            throw invalid("The search term must be $minSearchLength to $MAX_SEARCH_LENGTH characters long.")
        }
        if (skip != null && skip < 0) throw invalid("The 'skip' parameter must not be negative.")
    }

    private fun string(name: String): String? = when (val value = fields[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> value.content
        else -> throw invalid("The '$name' parameter must be a string.")
    }

    /** A parameter holding JSON text; also taken as the JSON itself, which lenient callers send. */
    private fun jsonText(name: String): String? = when (val value = fields[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> if (value.isString) value.content.takeUnless { it.isBlank() || it.trim() == "null" } else throw invalid("The '$name' parameter must be a string.")
        else -> value.toString()
    }

    private fun int(name: String): Int? = when (val value = fields[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> value.intOrNull ?: throw invalid("The '$name' parameter must be an integer.")
        else -> throw invalid("The '$name' parameter must be an integer.")
    }

    /**
     * The JSON held in the text of parameter [name], bounded as request bodies are ([BoundedJson]): the text is a string
     * inside the body, whose own bound did not count the values in it.
     */
    private fun parse(text: String, name: String): JsonElement = try {
        BoundedJson.parse(text)
    } catch (e: IllegalArgumentException) {
        // Learn's options example uses single quotes ("{'querytype': 'lucene'}"), which the service's reader accepts.
        runCatching { BoundedJson.parse(text.replace('\'', '"')) }.getOrNull() ?: throw invalid("The '$name' parameter is not valid JSON.")
    }

    private fun stringList(text: String, name: String): List<String> {
        val array = parse(text, name) as? JsonArray ?: throw invalid("The '$name' parameter must hold a JSON array of strings.")
        return array.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw invalid("The '$name' parameter must hold a JSON array of strings.") }
    }

    private fun entities(text: String): List<EntityScope> {
        val array = parse(text, "entities") as? JsonArray ?: throw invalid("The 'entities' parameter must hold a JSON array of search entities.")
        return array.map { element ->
            val item = (element as? JsonObject)?.entries?.associate { it.key.lowercase() to it.value }
                ?: throw invalid("Each search entity must be a JSON object.")
            fun columns(key: String) = when (val value = item[key]) {
                null, JsonNull -> emptyList()
                is JsonArray -> value.map { (it as? JsonPrimitive)?.content?.lowercase() ?: throw invalid("'$key' must be an array of column names.") }
                else -> throw invalid("'$key' must be an array of column names.")
            }
            val name = (item["name"] as? JsonPrimitive)?.takeIf { it.isString }?.content?.lowercase()
                ?: throw invalid("Each search entity needs a 'name'.")
            EntityScope(name, columns("selectcolumns"), columns("searchcolumns"), (item["filter"] as? JsonPrimitive)?.takeIf { it.isString }?.content?.takeIf { it.isNotBlank() })
        }
    }

    private fun options(text: String): Map<String, String> {
        val json = parse(text, "options")
        return when (json) {
            is JsonObject -> json.entries.associate { (key, value) -> key.lowercase() to ((value as? JsonPrimitive)?.content ?: value.toString()) }
            // The older form: an array of flags, e.g. ["lucene", "searchmodelall"].
            is JsonArray -> json.mapNotNull { (it as? JsonPrimitive)?.content?.lowercase() }.associate { flag ->
                when (flag) {
                    "lucene" -> "querytype" to "lucene"
                    "searchmodelall" -> "searchmode" to "all"
                    else -> flag to "true"
                }
            }
            else -> throw invalid("The 'options' parameter must hold a JSON object.")
        }
    }

    companion object {
        const val MAX_SEARCH_LENGTH: Int = 100

        /**
         * Guess: Learn does not give the code of a rejected search parameter; the emulator answers 400 with the general
         * invalid-argument code, and no client should key behaviour on it.
         */
        fun invalid(message: String): ApiException = ApiErrors.invalidArgument(message)
    }
}
