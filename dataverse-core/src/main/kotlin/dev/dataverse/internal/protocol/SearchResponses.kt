package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.SearchFacet
import dev.dataverse.SearchFacetType
import dev.dataverse.SearchQueryContext
import dev.dataverse.SearchResult
import dev.dataverse.SearchResults
import dev.dataverse.SearchSuggestion
import dev.dataverse.internal.protocol.json.DecodedList
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonReader
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

    /**
     * The unwrapped answer, checked whole: its [document] (the bytes of the inner JSON, decoded from the `response`
     * string without a String of it), the members found at its root (by lower-case name; values as small trees, or for
     * `Value` and `Facets` the offsets of their items), and the error inside it, if any.
     */
    class Answer(
        val document: Body,
        val members: Map<String, JsonElement>,
        val value: DecodedList.Offsets?,
        val facets: Map<String, DecodedList.Offsets>,
        val error: InnerError?,
    )

    /** What a search answer's items are checked as while the answer is read: [Item.NONE] for autocomplete, whose `Value` is text. */
    enum class Item { RESULTS, SUGGESTIONS, NONE }

    fun answer(body: Body, what: String, items: Item = Item.NONE): Answer {
        val inner = JsonDocuments.read(body, what) { reader ->
            if (reader.peek() != JsonReader.Kind.OBJECT) throw JsonDocuments.notAnObject(what)
            reader.beginObject()
            val response = CaseInsensitive("response")
            while (reader.hasNext()) {
                val name = reader.nextName()
                if (!response.matches(name)) {
                    reader.skipValue()
                    continue
                }
                val value = when (reader.peek()) {
                    // The service's own shape: the answer as a JSON string. Decoded to bytes where it lies.
                    JsonReader.Kind.STRING -> reader.nextStringBytes()
                    // Some answers carry the object itself.
                    JsonReader.Kind.OBJECT -> {
                        val start = reader.position
                        reader.skipValue()
                        body.range(start, reader.position)
                    }
                    else -> {
                        reader.skipValue()
                        null
                    }
                }
                response.offer(name, value)
            }
            reader.endObject()
            if (!response.found) malformed(what, "it has no 'response'")
            response.value as Body? ?: malformed(what, "'response' is not a string")
        }
        return inner(inner, what, items)
    }

    /** Reads the answer inside `response`: its root members, and the offsets of its results (or suggestions) and facets. */
    private fun inner(document: Body, what: String, items: Item): Answer {
        val members = HashMap<String, JsonElement>()
        val value = CaseInsensitive("Value")
        val facets = CaseInsensitive("Facets")
        val scalar = ROOT_MEMBERS.map(::CaseInsensitive)
        try {
            JsonDocuments.read(document, what) { reader ->
                if (reader.peek() != JsonReader.Kind.OBJECT) malformed(what, "'response' does not hold a JSON object")
                reader.beginObject()
                while (reader.hasNext()) {
                    val name = reader.nextName()
                    when {
                        value.matches(name) && items != Item.NONE -> value.offer(name, valueItems(reader, items))
                        facets.matches(name) && items == Item.RESULTS -> facets.offer(name, facetItems(reader))
                        else -> {
                            val member = scalar.firstOrNull { it.matches(name) }
                            if (member == null) reader.skipValue() else member.offer(name, reader.nextElement())
                        }
                    }
                }
                reader.endObject()
            }
        } catch (e: MalformedResponseException) {
            if (e.message?.startsWith("The $what response is not valid JSON") == true) {
                throw MalformedResponseException("The $what response's 'response' is not valid JSON: ${e.cause?.message}.", e.cause)
            }
            throw e
        }
        for (member in scalar) (member.value as JsonElement?)?.let { members[member.target.lowercase()] = it }
        val error = (members["error"] as? JsonObject)?.let { error ->
            val code = error.string("code")
            InnerError(code, error.string("message") ?: "The search service reported error ${code ?: "without a code"}.")
        }
        @Suppress("UNCHECKED_CAST")
        return Answer(document, members, value.value as DecodedList.Offsets?, (facets.value as Map<String, DecodedList.Offsets>?) ?: emptyMap(), error)
    }

    /** The offsets of the items of `Value` (checked as [items] are), or null for a null or absent `Value`. */
    private fun valueItems(reader: JsonReader, items: Item): DecodedList.Offsets? {
        when (reader.peek()) {
            JsonReader.Kind.NULL -> reader.nextNull().also { return null }
            JsonReader.Kind.ARRAY -> Unit
            else -> malformed("search", "'Value' is not an array")
        }
        val offsets = DecodedList.Offsets()
        reader.beginArray()
        while (reader.hasNext()) {
            val start = reader.position
            // Each item is decoded once here, to check it (one at a time: nothing of it is kept), and again when read.
            if (items == Item.RESULTS) {
                result(reader.peekObject("search query", "a 'Value' item is not an object"))
            } else {
                suggestion(reader.peekObject("search suggest", "a 'Value' item is not an object"))
            }
            offsets.add(start)
        }
        reader.endArray()
        return offsets
    }

    /** The offsets of each facet field's buckets, checked, in the order the service sent the fields. */
    private fun facetItems(reader: JsonReader): Map<String, DecodedList.Offsets>? {
        if (reader.peek() != JsonReader.Kind.OBJECT) {
            reader.skipValue()
            return null
        }
        val fields = LinkedHashMap<String, DecodedList.Offsets>()
        reader.beginObject()
        while (reader.hasNext()) {
            val field = reader.nextName()
            val offsets = DecodedList.Offsets()
            when (reader.peek()) {
                JsonReader.Kind.NULL -> reader.nextNull()
                JsonReader.Kind.ARRAY -> {
                    reader.beginArray()
                    while (reader.hasNext()) {
                        val start = reader.position
                        facet(reader.peekObject("search query", "a facet of '$field' is not an object"))
                        offsets.add(start)
                    }
                    reader.endArray()
                }
                else -> malformed("search", "'Facets.$field' is not an array")
            }
            fields[field] = offsets
        }
        reader.endObject()
        return fields
    }

    private fun JsonReader.peekObject(what: String, why: String): JsonObject =
        if (peek() == JsonReader.Kind.OBJECT) nextObject() else malformed(what, why)

    fun results(answer: Answer): SearchResults {
        val bytes = answer.document.bytes
        val to = answer.document.to
        val results = answer.value?.list(bytes, to) { result(it.nextObject()) } ?: emptyList()
        val facets = answer.facets.entries.associateTo(LinkedHashMap()) { (field, offsets) -> field to offsets.list(bytes, to) { facet(it.nextObject()) } }
        val count = (answer.members["count"] as? JsonPrimitive)?.longOrNull?.takeIf { it >= 0 }
        return SearchResults(results, facets, count, context(answer.members["querycontext"]))
    }

    fun suggestions(answer: Answer): List<SearchSuggestion> =
        answer.value?.list(answer.document.bytes, answer.document.to) { suggestion(it.nextObject()) } ?: emptyList()

    fun completion(answer: Answer): String? = when (val value = answer.members["value"]) {
        null, JsonNull -> null
        is JsonPrimitive -> if (value.isString) value.content else malformed("search autocomplete", "'Value' is not a string")
        else -> malformed("search autocomplete", "'Value' is not a string")
    }

    private fun suggestion(item: JsonObject): SearchSuggestion {
        val text = item.string("Text") ?: malformed("search suggest", "a suggestion has no 'Text'")
        return SearchSuggestion(text, (item.field("Document") as? JsonObject)?.let(JsonValues::toJava) ?: emptyMap())
    }

    /**
     * A member matched as the service's casing varies: a member named exactly [target] wins; else the first whose name
     * equals it ignoring case, as `JsonObject.field` below does for trees.
     */
    private class CaseInsensitive(val target: String) {
        var value: Any? = null
            private set
        var found: Boolean = false
            private set
        private var exact = false

        fun matches(name: String): Boolean = name.equals(target, ignoreCase = true)

        fun offer(name: String, candidate: Any?) {
            if (name == target) {
                value = candidate
                exact = true
                found = true
            } else if (!found) {
                value = candidate
                found = true
            }
        }
    }

    /** The root members kept as trees, besides `Value` and `Facets`. */
    private val ROOT_MEMBERS = listOf("Error", "Count", "QueryContext", "Value")

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
