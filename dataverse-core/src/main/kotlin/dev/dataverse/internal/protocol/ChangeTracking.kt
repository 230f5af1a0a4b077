package dev.dataverse.internal.protocol

import dev.dataverse.Change
import dev.dataverse.ChangePage
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DataverseRecord
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.Responses.optionalString
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
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

    /** The first request of a run: the entity set with `$select` and, after a previous run, its `$deltatoken`. */
    fun firstTarget(entitySetName: String, options: ChangeTrackingOptions): String = entitySetName + QueryStrings.queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            options.deltaToken?.let { add(DELTA_TOKEN to it) }
        },
    )

    /** The `Prefer` header of every request of a run, next links included, so that each page is read the same way. */
    fun preferences(options: ChangeTrackingOptions): String =
        listOfNotNull(TRACK_CHANGES, QueryStrings.readPreferences(options.pageSize, options.includeAnnotations)).joinToString(",")

    /**
     * One page: new or updated records, deletions, and either the next link (checked to be a page of the same entity set
     * under [apiUrl]) or the delta token of the delta link. A last page without a delta link is refused: the run could
     * not be continued, and the caller would silently lose every later change.
     */
    fun page(body: String, table: String, primaryIdAttribute: String, apiUrl: String, entitySetName: String): ChangePage {
        val root = Responses.jsonObject(body, "change tracking")
        val values = root["value"] as? JsonArray ?: throw MalformedResponseException("The change tracking response has no 'value' array.")
        val changes = values.map { item ->
            val json = item as? JsonObject ?: throw MalformedResponseException("A change is not a JSON object: $item")
            if (json.optionalString("@odata.context")?.endsWith("/$DELETED_ENTITY") == true) {
                val id = json.optionalString("id") ?: throw MalformedResponseException("A deleted-entity entry has no 'id': $json")
                Change.Deleted(table, ServerValues.guid(id, "the deleted record's 'id'"))
            } else {
                val record = DataverseRecord(table, primaryIdAttribute, json)
                val id = json.optionalString(primaryIdAttribute)
                    ?: throw MalformedResponseException("A changed record has no primary id '$primaryIdAttribute': ${Identifiers.quote(json.toString().take(200))}")
                Change.NewOrUpdated(record, table, ServerValues.guid(id, "the primary id '$primaryIdAttribute'"))
            }
        }
        val next = ServerValues.nextLink(root.optionalString("@odata.nextLink"), apiUrl, entitySetName)
        if (next != null) return ChangePage(changes, next, null)
        val deltaLink = root.optionalString("@odata.deltaLink")
            ?: throw MalformedResponseException("The last page of a change tracking response has no @odata.deltaLink, so later changes could not be read.")
        return ChangePage(changes, null, deltaToken(deltaLink, apiUrl, entitySetName))
    }

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
