package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.Projection
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.WriteCondition
import dev.dataverse.emulator.internal.records.find
import dev.dataverse.emulator.internal.records.notFound
import dev.dataverse.emulator.internal.store.StoredRecord
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** `GET`, `PATCH` (update, create-only, upsert) and `DELETE` of one record. */
internal class RecordEntityHandler(private val context: EmulatorContext) {

    fun get(call: ApiCall, table: TableDefinition, key: RecordKey): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.SINGLE)
        val record = context.store.table(table).find(key) ?: throw key.notFound(table)
        val etag = "ETag" to EntityWriter.etag(record.version)
        // Learn (perform-conditional-operations-using-web-api): a query with $expand or annotations never answers 304.
        val cacheable = options.expand.isEmpty() && call.preferences.includeAnnotations.isNullOrBlank()
        if (cacheable && isCurrent(call.request.header("If-None-Match"), record)) return ApiResponse.empty(304, listOf(etag))
        val body = representation(context, call, table, record, options)
        return ApiResponse.json(200, body, listOf(etag) + call.preferenceApplied())
    }

    fun patch(call: ApiCall, table: TableDefinition, key: RecordKey): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.SINGLE)
        val changes = context.payloads.read(table, context.payloads.parseObject(call.request.body), creating = false)
        val outcome = context.writer.write(table, key, changes, call.writeCondition)
        val entityId = RecordHandler.entityIdHeader(context, table, outcome.record, key, call.target.segments[0].keyText.orEmpty())
        val headers = listOf(entityId) + RecordHandler.sessionTokenHeaders(context, table)
        if (!call.preferences.returnRepresentation) return ApiResponse.empty(204, headers)
        val body = representation(context, call, table, outcome.record, options)
        val status = if (outcome.created) 201 else 200
        return ApiResponse.json(status, body, headers + call.preferenceApplied(RecordCollectionHandler.RETURN_REPRESENTATION))
    }

    fun delete(call: ApiCall, table: TableDefinition, key: RecordKey): ApiResponse {
        QueryOptions.parse(call.target.parameters, emptySet())
        context.writer.delete(table, key, call.writeCondition)
        return ApiResponse.empty(204)
    }

    /** Whether an `If-None-Match` header names the record's current version, so the client's copy is fresh (304). */
    private fun isCurrent(ifNoneMatch: String?, record: StoredRecord): Boolean =
        ifNoneMatch != null && WriteCondition.versionsIn(ifNoneMatch)?.contains(record.version) == true

    companion object {
        /** The entity JSON of [record] with `@odata.context`, projected by [options]. */
        fun representation(context: EmulatorContext, call: ApiCall, table: TableDefinition, record: StoredRecord, options: QueryOptions): JsonObject {
            val projection = Projection.of(context.catalog, table, options)
            val entity = EntityWriter(context.catalog, context.store, call.preferences.annotations).write(table, record, projection)
            val select = projection.contextSelect?.let { "($it)" }.orEmpty()
            val contextUrl = JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}$select/\$entity")
            return JsonObject(mapOf("@odata.context" to contextUrl) + entity)
        }
    }
}
