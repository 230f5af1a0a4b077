package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.query.PositionedRow
import dev.dataverse.emulator.internal.query.QueryPosition
import dev.dataverse.emulator.internal.query.RowOrdering
import dev.dataverse.emulator.internal.query.SortValueCodec
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import org.w3c.dom.Element
import java.math.BigDecimal
import java.util.Base64
import java.util.Locale
import java.util.UUID

/**
 * The FetchXML paging cookie. The `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` annotation is
 * `<cookie pagenumber="P+1" pagingcookie="..." istracking="False" />`, where `pagingcookie` is the inner cookie URL-encoded
 * twice, shaped as the service's: `<cookie page="P"><name last=".." first=".." /><accountid last="{GUID}" first="{GUID}" /></cookie>`
 * — one element per sort key, then the primary key, with the values of the page's last and first rows.
 *
 * The inner cookie also carries a `position` attribute: the exact position of the page's last row (all sort values
 * with their types, and the ids of joined records), which is what the next page continues after. A hand-written cookie
 * without it still works for unordered queries of one table (its primary-key `last` is enough); otherwise, and when the
 * cookie is not the one of the previous page, it is ignored as the service ignores it, and the page number alone is used.
 */
internal object FetchPagingCookie {
    private const val POSITION = "position"

    /** The annotation value for page [pageNumber], whose rows run from [first] to [last]. */
    fun annotation(pageNumber: Int, table: TableDefinition, orderNames: List<String>, first: PositionedRow, last: PositionedRow): String {
        val inner = StringBuilder("<cookie page=\"$pageNumber\" $POSITION=\"${encodePosition(last.position)}\">")
        for ((index, name) in orderNames.withIndex()) {
            inner.append('<').append(name)
            text(last.position.sortValues[index])?.let { inner.append(" last=\"").append(SafeXml.escapeAttribute(it)).append('"') }
            text(first.position.sortValues[index])?.let { inner.append(" first=\"").append(SafeXml.escapeAttribute(it)).append('"') }
            inner.append(" />")
        }
        inner.append('<').append(table.primaryIdAttribute)
            .append(" last=\"").append(braced(last.row.root.id)).append("\" first=\"").append(braced(first.row.root.id)).append("\" />")
        inner.append("</cookie>")
        return "<cookie pagenumber=\"${pageNumber + 1}\" pagingcookie=\"${urlEncode(urlEncode(inner.toString()))}\" istracking=\"False\" />"
    }

    /**
     * Where page [pageNumber] starts according to [cookie] (the `paging-cookie` attribute the client sent back), or null
     * when the cookie cannot be used and page-number paging applies. A cookie that is not XML, or whose position does not
     * belong to the query, is a 400.
     */
    fun read(cookie: String, pageNumber: Int, table: TableDefinition, ordering: RowOrdering, sourceCount: Int): QueryPosition? {
        val root = SafeXml.parse(cookie) { throw invalid() }
        if (root.tagName != "cookie") throw invalid()
        if (root.getAttribute("page").toIntOrNull() != pageNumber - 1) return null
        if (root.hasAttribute(POSITION)) {
            val position = decodePosition(root.getAttribute(POSITION))
            if (!ordering.fits(position)) throw invalid()
            return position
        }
        val key = root.getElementsByTagName(table.primaryIdAttribute).item(0) as Element? ?: return null
        val last = UUID_TEXT.matchEntire(key.getAttribute("last"))?.groupValues?.get(1)?.let(UUID::fromString) ?: throw invalid()
        val position = QueryPosition(emptyList(), listOf(last) + List(sourceCount - 1) { null })
        return position.takeIf { sourceCount == 1 && ordering.fits(it) }
    }

    private fun encodePosition(position: QueryPosition): String =
        Base64.getUrlEncoder().withoutPadding().encodeToString(SortValueCodec.encode(position).toString().toByteArray(Charsets.UTF_8))

    private fun decodePosition(text: String): QueryPosition = try {
        val json = String(Base64.getUrlDecoder().decode(text), Charsets.UTF_8)
        SortValueCodec.decodePosition(Json.parseToJsonElement(json).jsonObject)
    } catch (e: IllegalArgumentException) {
        throw invalid()
    } catch (e: IllegalStateException) {
        throw invalid()
    } catch (e: SerializationException) {
        throw invalid()
    } catch (e: NoSuchElementException) {
        throw invalid()
    }

    private fun text(value: Any?): String? = when (value) {
        null -> null
        is BigDecimal -> value.toPlainString()
        else -> value.toString()
    }

    private fun braced(id: UUID): String = "{${id.toString().uppercase(Locale.ROOT)}}"

    /** Percent-encodes every byte but letters, digits and `-_.~`, with lower-case hex digits as the service writes them. */
    private fun urlEncode(text: String): String = buildString {
        for (byte in text.toByteArray(Charsets.UTF_8)) {
            val code = byte.toInt() and BYTE_MASK
            val char = code.toChar()
            if (code < ASCII_LIMIT && (char.isLetterOrDigit() || char in "-_.~")) append(char) else append('%').append("%02x".format(code))
        }
    }

    private fun invalid() = ApiErrors.badRequest("The paging-cookie of the FetchXML is not valid. Send back the cookie of the previous page unchanged.")

    private val UUID_TEXT = Regex("\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})}?")
    private const val BYTE_MASK = 0xFF
    private const val ASCII_LIMIT = 128
}
