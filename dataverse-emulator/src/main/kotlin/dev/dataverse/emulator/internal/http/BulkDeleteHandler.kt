package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.ColumnValues
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.Locale
import java.util.UUID

/**
 * The unbound `BulkDelete` action the Python SDK uses to delete many records: each `QueryExpression` of `QuerySet`
 * names a table and a `Criteria` filter of `In`/`Equal` conditions on the primary id, combined with `And` or `Or`
 * (no conditions: every record). The service runs an asynchronous job; the emulator deletes the matching records at
 * once, in one transaction, and answers the job id the service would.
 */
internal class BulkDeleteHandler(private val context: EmulatorContext) {

    fun handle(call: ApiCall): ApiResponse {
        if (call.method != "POST") throw ApiErrors.methodNotAllowed(call.method, listOf("POST"))
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        QueryOptions.parse(call.target.parameters, emptySet())
        val payload = context.payloads.parseObject(call.request.body)
        val querySet = payload["QuerySet"] as? JsonArray
            ?: throw ApiErrors.invalidArgument("BulkDelete needs 'QuerySet': an array of QueryExpression objects.")
        val queries = querySet.map { query(it as? JsonObject ?: throw ApiErrors.invalidArgument("Each QuerySet item must be a QueryExpression object.")) }
        context.store.atomically(queries.flatMap { context.writer.cascadeReach(it.first) }.distinct()) {
            for ((table, matches) in queries) {
                val store = context.store.table(table)
                val ids = (matches.candidates ?: store.all().map { it.id }).filter(matches.predicate)
                ids.forEach { id -> context.writer.deleteCascading(table, id) }
            }
        }
        val body = buildJsonObject {
            put("@odata.context", "${context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse")
            put("JobId", UUID.randomUUID().toString())
        }
        return ApiResponse.json(200, body)
    }

    /** Which ids a criteria selects: [candidates] (null: every record) that pass [predicate]. */
    private class IdMatch(val candidates: Collection<UUID>?, val predicate: (UUID) -> Boolean)

    private fun query(expression: JsonObject): Pair<TableDefinition, IdMatch> {
        val entityName = expression.string("EntityName") ?: throw ApiErrors.invalidArgument("A QueryExpression of BulkDelete has no 'EntityName'.")
        val table = context.catalog.table(entityName) ?: throw ApiErrors.invalidArgument("The entity '$entityName' of BulkDelete does not exist.")
        if (table == context.synthetic?.table) throw SyntheticRowsHandler.readOnly(table)
        val criteria = expression["Criteria"] as? JsonObject ?: return table to IdMatch(null) { true }
        val nested = criteria["Filters"] as? JsonArray
        if (nested != null && nested.isNotEmpty()) throw unsupported("nested 'Filters' in the criteria")
        val conditions = (criteria["Conditions"] as? JsonArray).orEmpty().map { element ->
            condition(table, element as? JsonObject ?: throw unsupported("a condition that is not an object"))
        }
        if (conditions.isEmpty()) return table to IdMatch(null) { true }
        return when (criteria.string("FilterOperator")?.lowercase(Locale.ROOT) ?: "and") {
            "and" -> table to IdMatch(conditions.first()) { id -> conditions.all { id in it } }
            "or" -> table to IdMatch(conditions.flatMapTo(LinkedHashSet()) { it }) { true }
            else -> throw unsupported("the FilterOperator '${criteria.string("FilterOperator")}'")
        }
    }

    /** The ids an `In` or `Equal` condition on the primary id lists. */
    private fun condition(table: TableDefinition, condition: JsonObject): Set<UUID> {
        val attribute = condition.string("AttributeName")?.lowercase(Locale.ROOT)
        val operator = condition.string("Operator")
        if (attribute != table.primaryIdAttribute) throw unsupported("conditions on '$attribute' (only '${table.primaryIdAttribute}' is supported)")
        if (operator != "In" && operator != "Equal") throw unsupported("the condition operator '$operator' (only In and Equal are supported)")
        val values = (condition["Values"] as? JsonArray).orEmpty()
        if (operator == "Equal" && values.size != 1) throw ApiErrors.invalidArgument("An Equal condition of BulkDelete needs exactly one value.")
        return values.mapTo(LinkedHashSet()) { element ->
            val text = ((element as? JsonObject)?.get("Value") ?: element).let { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content }
            text?.let(ColumnValues::parseGuid) ?: throw ApiErrors.invalidArgument("The value $element of a BulkDelete condition on '$attribute' is not a GUID.")
        }
    }

    private fun JsonObject.string(name: String): String? = (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun unsupported(what: String) = ApiErrors.badRequest("BulkDelete in the emulator does not support $what.")
}
