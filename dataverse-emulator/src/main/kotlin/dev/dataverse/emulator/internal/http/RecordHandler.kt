package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.records.BulkAction
import dev.dataverse.emulator.internal.records.ElasticTables
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.store.StoredRecord

/**
 * Routes requests on an entity set: the collection (`accounts`), its bulk actions
 * (`accounts/Microsoft.Dynamics.CRM.CreateMultiple`), one record (`accounts(<key>)`), one of its properties
 * (`accounts(<key>)/name`) and a lookup reference (`accounts(<key>)/primarycontactid/$ref`).
 */
internal class RecordHandler(context: EmulatorContext) {
    private val collection = RecordCollectionHandler(context)
    private val bulk = BulkActionHandler(context)
    private val entity = RecordEntityHandler(context)
    private val property = RecordPropertyHandler(context)

    fun handle(call: ApiCall, table: TableDefinition): ApiResponse {
        val segments = call.target.segments
        val root = segments[0]
        if (root.keyText == null) {
            if (segments.size == 2 && segments[1].name == COUNT_SEGMENT && segments[1].keyText == null) {
                if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
                return collection.count(call, table)
            }
            if (segments.size > 1) {
                val action = BulkAction.ofSegment(segments[1].name)?.takeIf { segments.size == 2 && segments[1].keyText == null }
                    ?: throw ApiErrors.segmentNotFound(segments[1].toString())
                return bulk.handle(call, table, action)
            }
            return when (call.method) {
                "GET" -> collection.list(call, table)
                "POST" -> collection.create(call, table)
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val key = ElasticTables.withPartitionParameter(table, RecordKey.resolve(table, root.keyText), call)
        return when (segments.size) {
            1 -> single(call, table, key)
            else -> property.handle(call, table, key, segments.drop(1))
        }
    }

    private fun single(call: ApiCall, table: TableDefinition, key: RecordKey): ApiResponse = when (call.method) {
        "GET" -> entity.get(call, table, key)
        "PATCH" -> entity.patch(call, table, key)
        "DELETE" -> entity.delete(call, table, key)
        else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "PATCH", "DELETE"))
    }

    companion object {
        private const val COUNT_SEGMENT = "\$count"

        /**
         * The `OData-EntityId` header of a record; for an elastic table its partitioned key, as in Learn "Use elastic
         * tables using code" (update response): `contoso_sensordatas(contoso_sensordataid=<id>,partitionid='<p>')`.
         */
        fun entityIdHeader(context: EmulatorContext, table: TableDefinition, record: StoredRecord): Pair<String, String> =
            "OData-EntityId" to "${context.apiUrl}/${table.entitySetName}(${ElasticTables.keyText(table, record)})"

        /**
         * The `OData-EntityId` of a create: the new record by its id alone, also on an elastic table (Learn: "Use
         * elastic tables using code", create response `OData-EntityId: .../sensordata(7eb682f1-...)`), where an update
         * names the partitioned key.
         */
        fun createdEntityIdHeader(context: EmulatorContext, table: TableDefinition, record: StoredRecord): Pair<String, String> =
            "OData-EntityId" to "${context.apiUrl}/${table.entitySetName}(${record.id})"

        /**
         * The headers a write of an elastic table adds: `x-ms-session-token` (Learn: "Use elastic tables using code",
         * getting the session token: "in response of all write operations"; deletes are a documented exception, so they
         * get none). Reads are always current here, so the token only has to be a value the client can send back in
         * `MSCRM.SessionToken`. A guess at its form, after Learn's examples (`240:8#144035050#7=-1`).
         */
        fun sessionTokenHeaders(context: EmulatorContext, table: TableDefinition): List<Pair<String, String>> =
            if (table.isElastic) listOf(SESSION_TOKEN to "0:0#${context.store.currentVersion()}#0=-1") else emptyList()

        const val SESSION_TOKEN: String = "x-ms-session-token"

        /**
         * The `OData-EntityId` header of a write addressed by [key]: a record written through an alternate key is named
         * by that key as the request gave it, not by its id, as Learn shows ("Use Upsert to Create or Update a record",
         * Web API sample code: `OData-EntityId: .../example_records(example_key1=2,example_key2=2)`). An elastic table's
         * partitioned key names the record by id and partition, as [entityIdHeader] does.
         */
        fun entityIdHeader(context: EmulatorContext, table: TableDefinition, record: StoredRecord, key: RecordKey, keyText: String): Pair<String, String> {
            if (key !is RecordKey.ByAlternateKey || key.key.schemaName == ElasticTables.KEY_SCHEMA_NAME) return entityIdHeader(context, table, record)
            // Percent-encoded so that any key value fits a header and a URL; the literal's quotes, '=' and ',' stay as sent.
            val encoded = PercentCoding.encodeQuery(keyText).replace("%27", "'").replace("%3D", "=").replace("%2C", ",")
            return "OData-EntityId" to "${context.apiUrl}/${table.entitySetName}($encoded)"
        }
    }
}
