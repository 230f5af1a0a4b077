package dev.dataverse.emulator.internal.query

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/**
 * Writes normalized sort values and query positions as JSON for paging tokens, each value tagged with its type so it
 * reads back as exactly the value it was (a decimal stays a decimal, a date a date). Reading malformed JSON throws
 * [IllegalArgumentException] or [IllegalStateException]; callers turn that into a 400.
 */
internal object SortValueCodec {

    /** [value] (null, String, Long, BigDecimal, Boolean, Instant or LocalDate) as tagged JSON. */
    fun encode(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is String -> pair("s", value)
        is Long -> pair("l", value.toString())
        is BigDecimal -> pair("d", value.toPlainString())
        is Boolean -> pair("b", value.toString())
        is Instant -> pair("t", value.toString())
        is LocalDate -> pair("D", value.toString())
        else -> throw IllegalStateException("Unexpected sort value type ${value::class}")
    }

    /** The value [element] was encoded from. */
    fun decode(element: JsonElement): Any? {
        if (element is JsonNull) return null
        val (tag, text) = element.jsonArray.map { requireNotNull(it.jsonPrimitive.contentOrNull) }
        return when (tag) {
            "s" -> text
            "l" -> text.toLong()
            "d" -> BigDecimal(text)
            "b" -> text.toBooleanStrict()
            "t" -> Instant.parse(text)
            "D" -> LocalDate.parse(text)
            else -> throw IllegalArgumentException("Unknown sort value tag $tag")
        }
    }

    /** [position] as JSON: `{"k":[sort values],"i":[ids]}`. */
    fun encode(position: QueryPosition): JsonObject = buildJsonObject {
        put("k", JsonArray(position.sortValues.map(::encode)))
        put("i", JsonArray(position.ids.map { id -> id?.let { JsonPrimitive(it.toString()) } ?: JsonNull }))
    }

    /** The position [json] was encoded from. */
    fun decodePosition(json: JsonObject): QueryPosition = QueryPosition(
        json.getValue("k").jsonArray.map(::decode),
        json.getValue("i").jsonArray.map { element -> element.takeUnless { it is JsonNull }?.let { UUID.fromString(it.jsonPrimitive.content) } },
    )

    private fun pair(tag: String, text: String) = JsonArray(listOf(JsonPrimitive(tag), JsonPrimitive(text)))
}
