package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.PagingCookie
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/**
 * The state a next link carries: the page number, how many rows earlier pages returned (for `$top`), and
 * the position of the last row returned. Sort values are stored with a type tag so they compare exactly as
 * the live values do.
 */
internal data class PageState(val pageNumber: Int, val returned: Int, val position: RowPosition) {

    /** The `$skiptoken` text. */
    fun toSkipToken(): String = PagingCookie(pageNumber, toJson()).encode()

    private fun toJson(): JsonObject = buildJsonObject {
        put("n", returned)
        put("id", position.id.toString())
        put("k", buildJsonArray { position.sortValues.forEach { add(tagged(it)) } })
    }

    companion object {
        /** Reads a `$skiptoken`; a token that was not produced by [toSkipToken] is a 400. */
        fun fromSkipToken(token: String): PageState {
            val cookie = PagingCookie.decode(token)
            return try {
                val json = cookie.position
                val values = json.getValue("k").jsonArray.map(::untagged)
                val id = UUID.fromString(json.getValue("id").jsonPrimitive.content)
                PageState(cookie.pageNumber, json.getValue("n").jsonPrimitive.int, RowPosition(values, id))
            } catch (e: RuntimeException) {
                throw ApiErrors.badRequest("The \$skiptoken value is not valid. Follow the @odata.nextLink of the previous response verbatim.")
            }
        }

        private fun tagged(value: Any?): JsonElement = when (value) {
            null -> JsonNull
            is String -> pair("s", value)
            is Long -> pair("l", value.toString())
            is BigDecimal -> pair("d", value.toPlainString())
            is Boolean -> pair("b", value.toString())
            is Instant -> pair("t", value.toString())
            is LocalDate -> pair("D", value.toString())
            else -> throw IllegalStateException("Unexpected sort value type ${value::class}")
        }

        private fun pair(tag: String, text: String) = JsonArray(listOf(JsonPrimitive(tag), JsonPrimitive(text)))

        private fun untagged(element: JsonElement): Any? {
            if (element is JsonNull) return null
            val (tag, text) = element.jsonArray.map { it.jsonPrimitive.contentOrNull!! }
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
    }
}
