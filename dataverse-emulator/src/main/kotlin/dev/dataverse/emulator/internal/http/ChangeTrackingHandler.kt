package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.ChangeTokens
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.Projection
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Change tracking on `GET {set}` (Learn: "Use change tracking to synchronize data with external systems"): with
 * `Prefer: odata.track-changes` every record, ending with an `@odata.deltaLink`; with that link's `$deltatoken`, what
 * was created, updated (each record once, current values) or deleted (`$deletedEntity` entries) since — new and updated
 * records first, deletions after them, as Learn describes for RetrieveEntityChanges. Large results page with
 * `Prefer: odata.maxpagesize` and next links; the delta link comes on the last page.
 *
 * Each run reads up to the version settled when its first page was served, so writes made while a caller pages are not
 * half-seen: they come in the next run. Next links carry that version and their run's start; like delta tokens they
 * expire after [dev.dataverse.emulator.EmulatorOptions.changeTrackingRetention].
 */
internal class ChangeTrackingHandler(private val context: EmulatorContext) {

    /** Whether [call] asks for changes: the track-changes preference, or a delta token. */
    fun applies(call: ApiCall): Boolean = call.preferences.trackChanges || call.target.option(DELTA_TOKEN) != null

    fun list(call: ApiCall, table: TableDefinition): ApiResponse {
        for (parameter in call.target.parameters) {
            val name = parameter.name.lowercase()
            if (name in UNSUPPORTED) {
                // Learn gives the message; the error code is not documented, so the general OData error code is a guess.
                throw ApiErrors.badRequest("The \"$name\" query parameter isn't supported when Change Tracking is enabled.")
            }
        }
        if (!table.changeTrackingEnabled) {
            // Learn (web-service-error-codes) gives code and message; the HTTP status 400 is a guess.
            throw ApiException(400, ErrorCodes.CHANGE_TRACKING_NOT_ENABLED, "Entity ${table.logicalName} isn't enabled for change tracking.")
        }
        val options = QueryOptions.parse(call.target.parameters.filterNot { it.name.equals(DELTA_TOKEN, ignoreCase = true) }, ALLOWED)
        val store = context.store.table(table)
        val now = context.options.clock.instant()
        val retention = context.options.changeTrackingRetention
        store.forgetDeletionsBefore(now.minus(retention))
        val since = call.target.option(DELTA_TOKEN)?.let { ChangeTokens.delta(it, now, retention, store.clearedAtVersion, context.store.currentVersion()) }
        val position = options.skipToken?.let { ChangeTokens.position(it, now, retention) }
            ?: ChangeTokens.Position(store.settledVersion(context.store::currentVersion), now.epochSecond, deletions = false, after = since?.version ?: 0)

        val pageSize = Paging.pageSize(call)
        val writer = EntityWriter(context.catalog, context.store, call.preferences.annotations)
        val projection = Projection.of(context.catalog, table, options)
        val items = ArrayList<JsonElement>()
        var next: ChangeTokens.Position? = null
        if (!position.deletions) {
            val written = store.writtenBetween(position.after, position.upTo)
            written.take(pageSize).forEach { items += writer.write(table, it, projection) }
            if (written.size > pageSize) next = position.copy(after = written[pageSize - 1].version)
        }
        if (next == null && since != null) {
            val after = if (position.deletions) position.after else since.version
            val deleted = store.deletedBetween(after, position.upTo)
            val room = pageSize - items.size
            deleted.take(room).forEach { items += deletedEntity(table, it.id.toString()) }
            if (deleted.size > room) {
                next = position.copy(deletions = true, after = if (room == 0) after else deleted[room - 1].version)
            }
        }

        val body = LinkedHashMap<String, JsonElement>()
        val select = projection.contextSelect?.let { "($it)" }.orEmpty()
        body["@odata.context"] = JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}$select" + if (since != null) "/\$delta" else "")
        body["value"] = JsonArray(items)
        if (next != null) {
            body["@odata.nextLink"] = JsonPrimitive(Paging.nextLink(call, ChangeTokens.skipToken(next)))
        } else {
            body["@odata.deltaLink"] = JsonPrimitive(deltaLink(call, table, ChangeTokens.deltaToken(position.upTo, position.startedAt)))
        }
        val applied = call.preferenceApplied("odata.track-changes".takeIf { call.preferences.trackChanges }, Paging.maxPageSizeApplied(call, pageSize))
        return ApiResponse.json(200, JsonObject(body), applied)
    }

    /**
     * `GET {set}/$count?$deltatoken=...`: the number of changes the delta link would return — records created or
     * updated and records deleted since the token (Learn: "Use change tracking to synchronize data with external
     * systems", Retrieve the number of changes in a delta), as `text/plain` like every `/$count`.
     */
    fun count(call: ApiCall, table: TableDefinition): ApiResponse {
        val token = call.target.option(DELTA_TOKEN)
            ?: throw ApiErrors.badRequest("The number of changes needs the \$deltatoken of a delta link.")
        call.target.parameters.firstOrNull { !it.name.equals(DELTA_TOKEN, ignoreCase = true) }?.let {
            throw ApiErrors.badRequest("The \"${it.name.lowercase()}\" query parameter isn't supported when counting changes.")
        }
        if (!table.changeTrackingEnabled) {
            throw ApiException(400, ErrorCodes.CHANGE_TRACKING_NOT_ENABLED, "Entity ${table.logicalName} isn't enabled for change tracking.")
        }
        val store = context.store.table(table)
        val now = context.options.clock.instant()
        val retention = context.options.changeTrackingRetention
        store.forgetDeletionsBefore(now.minus(retention))
        val since = ChangeTokens.delta(token, now, retention, store.clearedAtVersion, context.store.currentVersion())
        val upTo = store.settledVersion(context.store::currentVersion)
        val changes = store.writtenBetween(since.version, upTo).size + store.deletedBetween(since.version, upTo).size
        return ApiResponse.text(200, changes.toString(), "text/plain")
    }

    private fun deletedEntity(table: TableDefinition, id: String): JsonObject = JsonObject(
        mapOf(
            "@odata.context" to JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}/\$deletedEntity"),
            "id" to JsonPrimitive(id),
            "reason" to JsonPrimitive("deleted"),
        ),
    )

    /** The delta link: the same entity set and `$select`, with the new `$deltatoken`. */
    private fun deltaLink(call: ApiCall, table: TableDefinition, token: String): String {
        val select = call.target.parameters.filter { it.name.equals("\$select", ignoreCase = true) }.map { it.raw }
        val query = (select + "\$deltatoken=${PercentCoding.encodeQuery(token)}").joinToString("&")
        return "${context.apiUrl}/${table.entitySetName}?$query"
    }

    private companion object {
        const val DELTA_TOKEN = "\$deltatoken"
        val ALLOWED = setOf("\$select", "\$skiptoken")
        val UNSUPPORTED = setOf("\$filter", "\$orderby", "\$expand", "\$top")
    }
}
