package dev.dataverse.internal.protocol

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import java.math.BigDecimal
import java.util.Collections

/** Shared JSON configuration and JSON → plain-Java conversion. */
internal object JsonValues {
    /** For decoding records into callers' classes: responses carry annotations their classes do not declare. */
    val lenient: Json = Json {
        ignoreUnknownKeys = true
        isLenient = false
        explicitNulls = false
    }

    /** For encoding callers' classes into payloads: nulls are sent, because null clears a column. */
    val payload: Json = Json {
        encodeDefaults = true
        explicitNulls = true
    }

    fun toJava(element: JsonElement): Any? = when (element) {
        JsonNull -> null
        is JsonObject -> Collections.unmodifiableMap(element.mapValuesTo(LinkedHashMap()) { toJava(it.value) })
        is JsonArray -> Collections.unmodifiableList(element.map { toJava(it) })
        is JsonPrimitive -> when {
            element.isString -> element.content
            else -> element.booleanOrNull ?: number(element.content)
        }
    }

    @Suppress("UNCHECKED_CAST")
    fun toJava(json: JsonObject): Map<String, Any?> = toJava(json as JsonElement) as Map<String, Any?>

    private fun number(text: String): Any {
        val decimal = BigDecimal(text)
        return runCatching { decimal.longValueExact() }.getOrElse { decimal }
    }
}
