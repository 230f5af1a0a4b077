package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.records.BulkAction
import dev.dataverse.emulator.internal.records.BulkTargetReader
import dev.dataverse.emulator.internal.records.WriteCondition
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.UUID

/**
 * `CreateMultiple`, `UpdateMultiple`, `UpsertMultiple` and `DeleteMultiple` on an elastic table. Learn (bulk-operations,
 * "Bulk operations with elastic tables"): an error does not roll the request back; the records that could be written
 * are, and the answer says which failed. Each target is validated and applied on its own.
 *
 * When any target fails, the answer is the first failure's error. With `Prefer: odata.include-annotations` covering
 * `Microsoft.PowerApps.CDS.ErrorDetails.*` it carries [BULK_DETAILS]: a JSON string listing every target as
 * `{RequestIndex, Id, StatusCode}`. A guess: Learn documents that list as the SDK's `Plugin.BulkApiErrorDetails` detail
 * and says the Web API returns the details as annotations, without a Web API example; the annotation name follows the
 * documented `@Microsoft.PowerApps.CDS.ErrorDetails.<detail>` pattern, and listing succeeded targets too is a guess.
 */
internal class ElasticBulkActions(private val context: EmulatorContext, private val reader: BulkTargetReader) {

    private class Outcome(val id: UUID?, val status: Int, val error: ApiException?)

    fun handle(call: ApiCall, table: TableDefinition, action: BulkAction): ApiResponse {
        val outcomes = reader.targets(call.request.body, action).mapIndexed { index, element ->
            try {
                val target = reader.target(table, element, index, action)
                when (action) {
                    BulkAction.CREATE_MULTIPLE -> Outcome(context.writer.create(table, target.changes).id, 201, null)
                    BulkAction.UPDATE_MULTIPLE -> Outcome(context.writer.write(table, target.key!!, target.changes, WriteCondition.IfMatch(null)).record.id, 204, null)
                    BulkAction.UPSERT_MULTIPLE -> Outcome(context.writer.write(table, target.key!!, target.changes, WriteCondition.None).record.id, 204, null)
                    BulkAction.DELETE_MULTIPLE -> {
                        context.writer.delete(table, target.key!!, WriteCondition.None)
                        Outcome(target.changes.primaryId, 204, null)
                    }
                }
            } catch (e: ApiException) {
                Outcome(null, e.status, e)
            }
        }
        val failure = outcomes.firstOrNull { it.error != null }?.error
        if (failure != null) {
            val details = if (call.preferences.annotations.includes(BULK_DETAILS.removePrefix("@"))) mapOf(BULK_DETAILS to JsonPrimitive(statuses(outcomes).toString())) else emptyMap()
            throw ApiException(failure.status, failure.code, failure.message, failure.headers, details)
        }
        if (action != BulkAction.CREATE_MULTIPLE) return ApiResponse.empty(204)
        val body = JsonObject(
            mapOf(
                "@odata.context" to JsonPrimitive("${context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse"),
                "Ids" to JsonArray(outcomes.map { JsonPrimitive(it.id.toString()) }),
            ),
        )
        return ApiResponse.json(200, body)
    }

    private fun statuses(outcomes: List<Outcome>): JsonArray = buildJsonArray {
        outcomes.forEachIndexed { index, outcome ->
            add(
                buildJsonObject {
                    put("RequestIndex", index)
                    outcome.id?.let { put("Id", it.toString()) }
                    put("StatusCode", outcome.status)
                },
            )
        }
    }

    companion object {
        const val BULK_DETAILS: String = "@Microsoft.PowerApps.CDS.ErrorDetails.Plugin.BulkApiErrorDetails"
    }
}
