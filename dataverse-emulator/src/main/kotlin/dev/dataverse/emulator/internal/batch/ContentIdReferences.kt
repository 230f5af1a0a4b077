package dev.dataverse.emulator.internal.batch

import dev.dataverse.emulator.internal.json.BoundedJson
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * `$n` references to the record created by the batch request with Content-ID `n`: as the start of a request URL
 * (`PATCH $1`, `DELETE $1/primarycontactid/$ref`) or as the value of an `@odata.bind` or `@odata.id` property in a
 * JSON body (`"primarycontactid@odata.bind": "$1"`), at any depth (bulk action targets included).
 */
internal object ContentIdReferences {
    private val RESERVED = setOf("metadata", "batch")

    /** The Content-ID the request URL [url] starts with, or null when it starts otherwise. */
    fun ofUrl(url: String): String? {
        if (!url.startsWith("$")) return null
        val token = url.substring(1).takeWhile { it != '/' && it != '?' && it != '(' }
        return token.takeIf { it.isNotEmpty() && it !in RESERVED }
    }

    /** [url] with its leading `$n` replaced by [entityUrl]. */
    fun replaceInUrl(url: String, contentId: String, entityUrl: String): String = entityUrl + url.substring(1 + contentId.length)

    /** The JSON of [body] when it may hold references (it is a JSON object mentioning `"$`), else null. */
    fun parseIfReferencing(body: ByteArray): JsonElement? {
        if (body.isEmpty()) return null
        val text = body.toString(Charsets.UTF_8)
        if (!text.contains("\"$")) return null
        return try {
            BoundedJson.parse(text)
        } catch (e: SerializationException) {
            null
        }
    }

    /** The Content-IDs [json] references, in order of appearance. */
    fun ofBody(json: JsonElement): List<String> {
        val found = mutableListOf<String>()
        visit(json) { reference ->
            found += reference
            null
        }
        return found
    }

    /** [json] with every reference replaced by what [resolve] returns for its Content-ID. */
    fun substitute(json: JsonElement, resolve: (String) -> String): JsonElement = visit(json, resolve)

    private fun visit(element: JsonElement, onReference: (String) -> String?): JsonElement = when (element) {
        is JsonObject -> JsonObject(
            element.mapValues { (name, value) ->
                val reference = (value as? JsonPrimitive)?.takeIf { it.isString && isReferenceProperty(name) }?.content?.let(::ofValue)
                if (reference != null) onReference(reference)?.let(::JsonPrimitive) ?: value else visit(value, onReference)
            },
        )
        is JsonArray -> JsonArray(element.map { visit(it, onReference) })
        else -> element
    }

    private fun isReferenceProperty(name: String): Boolean = name.endsWith("@odata.bind") || name == "@odata.id"

    /** The Content-ID of a property value that is exactly `$n`, or null. */
    private fun ofValue(value: String): String? {
        if (!value.startsWith("$")) return null
        val token = value.substring(1)
        return token.takeIf { it.isNotEmpty() && it !in RESERVED && it.none { c -> c == '/' || c == '(' } }
    }
}
