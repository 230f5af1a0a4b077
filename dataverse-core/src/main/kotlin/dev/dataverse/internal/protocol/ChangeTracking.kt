package dev.dataverse.internal.protocol

import dev.dataverse.Change
import dev.dataverse.ChangePage
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DataverseRecord
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonReader
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import io.ktor.http.HttpMethod
import java.util.UUID
import java.net.URLDecoder

/**
 * The wire format of change tracking (Learn: "Use change tracking to synchronize data with external systems"): a
 * collection read with `Prefer: odata.track-changes`, pages linked by `@odata.nextLink`, the last page carrying
 * `@odata.deltaLink` (`...?$select=...&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44`), deleted records as
 * `{"@odata.context":".../$metadata#accounts/$deletedEntity","id":"<guid>","reason":"deleted"}`. Pure: no I/O.
 */
internal object ChangeTracking {
    const val TRACK_CHANGES: String = "odata.track-changes"
    private const val DELTA_TOKEN = "\$deltatoken"
    private const val DELETED_ENTITY = "\$deletedEntity"
    private const val DELTA_LINK = "@odata.deltaLink"
    private const val CONTEXT = "@odata.context"
    private const val ID = "id"
    private val MEMBERS = setOf(Responses.NEXT_LINK, DELTA_LINK)

    /** The first request of a run: the entity set with `$select` and, after a previous run, its `$deltatoken`. */
    fun firstTarget(entitySetName: String, options: ChangeTrackingOptions): String = entitySetName + QueryStrings.queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            options.deltaToken?.let { add(DELTA_TOKEN to it) }
        },
    )

    /** The first request of a run: `GET {set}?$select=...[&$deltatoken=...]` with [preferences]. */
    fun first(table: TableMetadata, options: ChangeTrackingOptions): ApiRequest =
        ApiRequest(HttpMethod.Get, firstTarget(table.entitySetName, options), listOf("Prefer" to preferences(options)))

    /** `GET <next link>` with the same preferences as the first page. */
    fun next(link: String, options: ChangeTrackingOptions): ApiRequest = ApiRequest(HttpMethod.Get, link, listOf("Prefer" to preferences(options)))

    /** One page of [table]'s changes; see the other [page]. */
    fun page(body: Body, table: TableMetadata, apiUrl: String): ChangePage =
        page(body, table.logicalName, table.primaryIdAttribute, apiUrl, table.entitySetName)

    /** The `Prefer` header of every request of a run, next links included, so that each page is read the same way. */
    fun preferences(options: ChangeTrackingOptions): String =
        listOfNotNull(TRACK_CHANGES, QueryStrings.readPreferences(options.pageSize, options.includeAnnotations)).joinToString(",")

    /**
     * One page: new or updated records, deletions, and either the next link (checked to be a page of the same entity set
     * under [apiUrl]) or the delta token of the delta link. A last page without a delta link is refused: the run could
     * not be continued, and the caller would silently lose every later change.
     *
     * Read in one pass that checks every change (a deletion's id, a record's primary id) and notes where it starts; the
     * changes are decoded from the bytes when they are read, so a page costs its bytes, not a tree of its changes.
     */
    fun page(body: Body, table: String, primaryIdAttribute: String, apiUrl: String, entitySetName: String): ChangePage {
        val collection = Responses.collection(body, "change tracking", MEMBERS) { reader -> check(reader, primaryIdAttribute) }
        val changes = collection.items.list(body.bytes, body.to) { reader -> change(reader.nextObject(), table, primaryIdAttribute) }
        val next = ServerValues.nextLink(JsonDocuments.stringOrNull(collection.members[Responses.NEXT_LINK]), apiUrl, entitySetName)
        if (next != null) return ChangePage(changes, next, null)
        val deltaLink = JsonDocuments.stringOrNull(collection.members[DELTA_LINK])
            ?: throw MalformedResponseException("The last page of a change tracking response has no @odata.deltaLink, so later changes could not be read.")
        return ChangePage(changes, null, deltaToken(deltaLink, apiUrl, entitySetName))
    }

    /** Reads one change at [reader], checking what [change] will need: the id of a deletion, the primary id of a record. */
    private fun check(reader: JsonReader, primaryIdAttribute: String) {
        var context: JsonElement? = null
        var id: JsonElement? = null
        var primaryId: JsonElement? = null
        reader.beginObject()
        while (reader.hasNext()) {
            when (reader.nextName()) {
                CONTEXT -> context = reader.nextElement()
                ID -> id = reader.nextElement().also { if (primaryIdAttribute == ID) primaryId = it }
                primaryIdAttribute -> primaryId = reader.nextElement()
                else -> reader.skipValue()
            }
        }
        reader.endObject()
        if (isDeletion(JsonDocuments.stringOrNull(context))) {
            deletedId(JsonDocuments.stringOrNull(id))
        } else {
            changedId(JsonDocuments.stringOrNull(primaryId), primaryIdAttribute)
        }
    }

    private fun change(json: JsonObject, table: String, primaryIdAttribute: String): Change =
        if (isDeletion(json.optionalString(CONTEXT))) {
            Change.Deleted(table, deletedId(json.optionalString(ID)))
        } else {
            Change.NewOrUpdated(DataverseRecord(table, primaryIdAttribute, json), table, changedId(json.optionalString(primaryIdAttribute), primaryIdAttribute))
        }

    private fun isDeletion(context: String?): Boolean = context?.endsWith("/$DELETED_ENTITY") == true

    private fun deletedId(id: String?): UUID =
        ServerValues.guid(id ?: throw MalformedResponseException("A deleted-entity entry has no 'id'."), "the deleted record's 'id'")

    private fun changedId(id: String?, primaryIdAttribute: String): UUID = ServerValues.guid(
        id ?: throw MalformedResponseException("A changed record has no primary id '$primaryIdAttribute'."),
        "the primary id '$primaryIdAttribute'",
    )

    /** The `$deltatoken` of [deltaLink], decoded; the link must address the same entity set under [apiUrl]. */
    fun deltaToken(deltaLink: String, apiUrl: String, entitySetName: String): String {
        if (!ServerValues.isNextLinkOf(deltaLink, apiUrl, entitySetName)) {
            throw MalformedResponseException("The service sent a delta link that is not one of '$entitySetName' under $apiUrl: ${Identifiers.quote(deltaLink)}.")
        }
        val parameter = deltaLink.substringAfter('?').split('&').firstOrNull { parameter ->
            val name = parameter.substringBefore('=')
            name.equals(DELTA_TOKEN, ignoreCase = true) || name.equals("%24deltatoken", ignoreCase = true)
        } ?: throw MalformedResponseException("The delta link has no \$deltatoken: ${Identifiers.quote(deltaLink)}.")
        // RFC 3986: '+' is a literal plus in a URL query, not a space as in HTML forms.
        val token = try {
            URLDecoder.decode(parameter.substringAfter('=').replace("+", "%2B"), Charsets.UTF_8)
        } catch (e: IllegalArgumentException) {
            throw MalformedResponseException("The delta link's \$deltatoken is not percent-encoded correctly: ${Identifiers.quote(deltaLink)}.", e)
        }
        if (token.isBlank()) throw MalformedResponseException("The delta link has an empty \$deltatoken: ${Identifiers.quote(deltaLink)}.")
        // Handed to the caller, stored, and sent again later: a token that could not go back into a URL as it came is refused now.
        if (token.any { it.isISOControl() }) {
            throw MalformedResponseException("The delta link's \$deltatoken holds control characters: ${Identifiers.quote(deltaLink)}.")
        }
        return token
    }
}
