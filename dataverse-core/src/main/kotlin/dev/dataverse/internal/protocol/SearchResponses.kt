package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.SearchFacet
import dev.dataverse.SearchFacetType
import dev.dataverse.SearchQueryContext
import dev.dataverse.SearchResult
import dev.dataverse.SearchResults
import dev.dataverse.SearchSuggestion
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.longOrNull
import java.util.UUID

/**
 * Parsing of the search 2.0 answers. The service wraps its answer in `{"response": "<JSON text>"}` (Learn: "Dataverse
 * Search query", Response: "an escaped string that includes JSON data"). Inside, Learn's examples name result fields
 * in PascalCase (`Value`, `Id`, `Highlights`) and facet, error and context fields in lower case (`count`, `code`,
 * `originalquery`), while older versions of the same pages show other casings: fields are matched ignoring case.
 * Pure: no I/O.
 */
internal object SearchResponses {
    /** An error the search service put inside a successful answer: its `code` and `message`. */
    class InnerError(val code: String?, val message: String)

    /** The unwrapped answer, and the error inside it, if any. */
    class Answer(val root: JsonObject, val error: InnerError?)

    fun answer(body: String, what: String): Answer {
        val outer = Responses.jsonObject(body, what)
        val inner = when (val response = outer.field("response")) {
            is JsonPrimitive -> if (response.isString) parse(response.content, what) else malformed(what, "'response' is not a string")
            is JsonObject -> response
            else -> malformed(what, "it has no 'response'")
        }
        val error = (inner.field("Error") as? JsonObject)?.let { error ->
            val code = error.string("code")
            InnerError(code, error.string("message") ?: "The search service reported error ${code ?: "without a code"}.")
        }
        return Answer(inner, error)
    }

    fun results(answer: Answer): SearchResults {
        val root = answer.root
        val value = root.field("Value").arrayOrEmpty("Value")
        val results = value.map { element -> result(element as? JsonObject ?: malformed("search query", "a 'Value' item is not an object")) }
        val facets = (root.field("Facets") as? JsonObject)?.entries?.associateTo(LinkedHashMap()) { (field, buckets) ->
            field to buckets.arrayOrEmpty("Facets.$field").map { facet(it as? JsonObject ?: malformed("search query", "a facet of '$field' is not an object")) }
        } ?: emptyMap()
        val count = (root.field("Count") as? JsonPrimitive)?.longOrNull?.takeIf { it >= 0 }
        return SearchResults(results, facets, count, context(root.field("QueryContext")))
    }

    fun suggestions(answer: Answer): List<SearchSuggestion> =
        answer.root.field("Value").arrayOrEmpty("Value").map { element ->
            val item = element as? JsonObject ?: malformed("search suggest", "a 'Value' item is not an object")
            val text = item.string("Text") ?: malformed("search suggest", "a suggestion has no 'Text'")
            SearchSuggestion(text, (item.field("Document") as? JsonObject)?.let(JsonValues::toJava) ?: emptyMap())
        }

    fun completion(answer: Answer): String? = when (val value = answer.root.field("Value")) {
        null, JsonNull -> null
        is JsonPrimitive -> if (value.isString) value.content else malformed("search autocomplete", "'Value' is not a string")
        else -> malformed("search autocomplete", "'Value' is not a string")
    }

    private fun result(item: JsonObject): SearchResult {
        val rawId = item.string("Id") ?: malformed("search query", "a result has no 'Id'")
        val id = runCatching { UUID.fromString(rawId) }.getOrNull() ?: malformed("search query", "result id ${Identifiers.quote(rawId)} is not a GUID")
        val entityName = item.string("EntityName") ?: malformed("search query", "result $rawId has no 'EntityName'")
        val highlights = (item.field("Highlights") as? JsonObject)?.entries?.associateTo(LinkedHashMap()) { (column, fragments) ->
            column to fragments.arrayOrEmpty("Highlights").mapNotNull { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content }
        } ?: emptyMap()
        return SearchResult(
            id = id,
            entityName = entityName,
            objectTypeCode = (item.field("ObjectTypeCode") as? JsonPrimitive)?.intOrNull ?: 0,
            attributes = (item.field("Attributes") as? JsonObject)?.let(JsonValues::toJava) ?: emptyMap(),
            highlights = highlights,
            score = (item.field("Score") as? JsonPrimitive)?.doubleOrNull ?: 0.0,
        )
    }

    private fun facet(item: JsonObject): SearchFacet {
        val type = when (val raw = (item.field("type") as? JsonPrimitive)?.content?.lowercase()) {
            // The FacetType enum of Learn's sample: value = 0, range = 1; sent by name or by number.
            "range", "1" -> SearchFacetType.RANGE
            "value", "0", null -> if (raw == null && (item.field("from").isPresent() || item.field("to").isPresent())) SearchFacetType.RANGE else SearchFacetType.VALUE
            else -> malformed("search query", "unknown facet type ${Identifiers.quote(raw)}")
        }
        return SearchFacet(
            type = type,
            count = (item.field("count") as? JsonPrimitive)?.longOrNull,
            value = item.field("value")?.let(JsonValues::toJava),
            from = item.field("from")?.let(JsonValues::toJava),
            to = item.field("to")?.let(JsonValues::toJava),
            optionalValue = item.field("optionalvalue")?.let(JsonValues::toJava),
        )
    }

    private fun context(element: JsonElement?): SearchQueryContext? {
        val context = element as? JsonObject ?: return null
        fun strings(name: String) = (context.field(name) as? JsonArray)?.mapNotNull { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content } ?: emptyList()
        return SearchQueryContext(context.string("originalquery"), context.string("alteredquery"), strings("reason"), strings("spellsuggestions"))
    }

    private fun parse(text: String, what: String): JsonObject = try {
        Json.parseToJsonElement(text) as? JsonObject ?: malformed(what, "'response' does not hold a JSON object")
    } catch (e: IllegalArgumentException) {
        throw MalformedResponseException("The $what response's 'response' is not valid JSON: ${Identifiers.quote(text.take(200))}", e)
    }

    /** The member [name], matched exactly first and then ignoring case. */
    private fun JsonObject.field(name: String): JsonElement? =
        this[name] ?: entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value

    private fun JsonObject.string(name: String): String? = (field(name) as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun JsonElement?.isPresent(): Boolean = this != null && this != JsonNull

    private fun JsonElement?.arrayOrEmpty(what: String): JsonArray = when (this) {
        null, JsonNull -> JsonArray(emptyList())
        is JsonArray -> this
        else -> malformed("search", "'$what' is not an array")
    }

    private fun malformed(what: String, why: String): Nothing =
        throw MalformedResponseException("The $what response does not have the shape Learn documents: $why.")
}
