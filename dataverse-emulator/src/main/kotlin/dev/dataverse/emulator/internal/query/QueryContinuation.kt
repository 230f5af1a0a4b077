package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.PagingCookie
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put

/**
 * The state the next link of a SQL query carries: the page number, how many rows earlier pages returned (for `TOP`),
 * and where the next page starts — after a [position] (plain rows, exact under concurrent changes) or at an [offset]
 * (grouped and DISTINCT results, which have no row identity).
 */
internal data class QueryContinuation(val pageNumber: Int, val returned: Int, val position: QueryPosition?, val offset: Int) {

    /** The `$skiptoken` text, shaped like the service's paging cookie. */
    fun toSkipToken(): String = PagingCookie(pageNumber, toJson()).encode()

    private fun toJson(): JsonObject = buildJsonObject {
        put("n", returned)
        put("o", offset)
        position?.let { put("p", SortValueCodec.encode(it)) }
    }

    companion object {
        /** Reads a `$skiptoken` produced by [toSkipToken]; anything else is a 400. */
        fun fromSkipToken(token: String): QueryContinuation {
            val cookie = PagingCookie.decode(token)
            return try {
                val json = cookie.position
                QueryContinuation(
                    pageNumber = cookie.pageNumber,
                    returned = json.getValue("n").jsonPrimitive.int,
                    position = json["p"]?.jsonObject?.let(SortValueCodec::decodePosition),
                    offset = json.getValue("o").jsonPrimitive.int,
                )
            } catch (e: RuntimeException) {
                throw ApiErrors.badRequest("The \$skiptoken value is not valid. Follow the @odata.nextLink of the previous response verbatim.")
            }
        }
    }
}
