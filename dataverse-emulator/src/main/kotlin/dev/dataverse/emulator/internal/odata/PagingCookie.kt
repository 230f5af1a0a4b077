package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import java.util.Base64

/**
 * The `$skiptoken` of a next link, shaped like the service's paging cookie
 * (`<cookie pagenumber="2" pagingcookie="..." istracking="False" />`). The paging cookie carries the
 * position after the last row returned, so paging needs no server state and stays correct when rows
 * are added or removed between pages.
 */
internal data class PagingCookie(val pageNumber: Int, val position: JsonObject) {

    /** The token text (before percent-encoding into the URL). */
    fun encode(): String {
        val cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(position.toString().toByteArray(Charsets.UTF_8))
        return "<cookie pagenumber=\"$pageNumber\" pagingcookie=\"$cookie\" istracking=\"False\" />"
    }

    companion object {
        private val PAGE_NUMBER = Regex("pagenumber=\"(\\d+)\"")
        private val COOKIE = Regex("pagingcookie=\"([A-Za-z0-9_-]*)\"")

        /** Reads a token produced by [encode]; anything else is a 400. */
        fun decode(token: String): PagingCookie {
            val pageNumber = PAGE_NUMBER.find(token)?.groupValues?.get(1)?.toIntOrNull()
            val cookie = COOKIE.find(token)?.groupValues?.get(1)
            if (pageNumber == null || cookie == null) throw invalid()
            return try {
                val json = String(Base64.getUrlDecoder().decode(cookie), Charsets.UTF_8)
                PagingCookie(pageNumber, Json.parseToJsonElement(json).jsonObject)
            } catch (e: IllegalArgumentException) {
                throw invalid()
            } catch (e: SerializationException) {
                throw invalid()
            }
        }

        private fun invalid() = ApiErrors.badRequest("The \$skiptoken value is not valid. Follow the @odata.nextLink of the previous response verbatim.")
    }
}
