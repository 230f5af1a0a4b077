package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.PagingCookie
import dev.dataverse.emulator.internal.query.SortValueCodec
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
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
        put("k", buildJsonArray { position.sortValues.forEach { add(SortValueCodec.encode(it)) } })
    }

    companion object {
        /** Reads a `$skiptoken`; a token that was not produced by [toSkipToken] is a 400. */
        fun fromSkipToken(token: String): PageState {
            val cookie = PagingCookie.decode(token)
            return try {
                val json = cookie.position
                val values = json.getValue("k").jsonArray.map(SortValueCodec::decode)
                val id = UUID.fromString(json.getValue("id").jsonPrimitive.content)
                PageState(cookie.pageNumber, json.getValue("n").jsonPrimitive.int, RowPosition(values, id))
            } catch (e: RuntimeException) {
                throw ApiErrors.badRequest("The \$skiptoken value is not valid. Follow the @odata.nextLink of the previous response verbatim.")
            }
        }
    }
}
