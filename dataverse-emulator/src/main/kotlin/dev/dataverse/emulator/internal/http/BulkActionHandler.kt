package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.BulkAction
import dev.dataverse.emulator.internal.records.BulkTarget
import dev.dataverse.emulator.internal.records.BulkTargetReader
import dev.dataverse.emulator.internal.records.WriteCondition
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * `CreateMultiple`, `UpdateMultiple` and `UpsertMultiple` with standard-table semantics: all targets are validated
 * first, then applied in one transaction under the table's lock, and any failing target rolls the whole request back
 * and answers that target's error. `DeleteMultiple` exists only for elastic tables, so it answers the service's
 * not-implemented error on standard tables; tables listed in `EmulatorOptions.bulkUnsupportedTables` answer "message
 * not supported". Elastic tables apply each target on its own: see [ElasticBulkActions].
 */
internal class BulkActionHandler(private val context: EmulatorContext) {
    private val reader = BulkTargetReader(context.payloads)

    fun handle(call: ApiCall, table: TableDefinition, action: BulkAction): ApiResponse {
        if (call.method != "POST") throw ApiErrors.methodNotAllowed(call.method, listOf("POST"))
        QueryOptions.parse(call.target.parameters, emptySet())
        if (table.logicalName in context.options.bulkUnsupportedTables) throw ApiErrors.messageNotSupported(action.actionName, table.logicalName)
        if (table.isElastic) return ElasticBulkActions(context, reader).handle(call, table, action)
        if (action == BulkAction.DELETE_MULTIPLE) throw ApiErrors.deleteMultipleNotImplemented()
        val targets = reader.read(table, call.request.body, action)
        return when (action) {
            BulkAction.CREATE_MULTIPLE -> create(table, targets)
            BulkAction.UPDATE_MULTIPLE -> change(table, targets, WriteCondition.IfMatch(null))
            BulkAction.UPSERT_MULTIPLE -> change(table, targets, WriteCondition.None)
            BulkAction.DELETE_MULTIPLE -> throw ApiErrors.deleteMultipleNotImplemented()
        }
    }

    private fun create(table: TableDefinition, targets: List<BulkTarget>): ApiResponse {
        val ids = context.store.atomically(listOf(table)) {
            targets.map { context.writer.create(table, it.changes).id }
        }
        val body = JsonObject(
            mapOf(
                "@odata.context" to JsonPrimitive("${context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse"),
                "Ids" to JsonArray(ids.map { JsonPrimitive(it.toString()) }),
            ),
        )
        return ApiResponse.json(200, body)
    }

    /** Updates (the record must exist: 404 otherwise) or upserts every target; 204 without a body, as the service. */
    private fun change(table: TableDefinition, targets: List<BulkTarget>, condition: WriteCondition): ApiResponse {
        context.store.atomically(listOf(table)) {
            targets.forEach { context.writer.write(table, it.key!!, it.changes, condition) }
        }
        return ApiResponse.empty(204)
    }
}
