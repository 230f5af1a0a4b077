package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.Navigation
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.ColumnValues
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.find
import dev.dataverse.emulator.internal.records.notFound
import dev.dataverse.emulator.internal.store.LookupValue
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.UUID

/**
 * One property of a record: `GET accounts(<id>)/name`, `PUT accounts(<id>)/name {"value":..}`,
 * `DELETE accounts(<id>)/name` (sets it to null), `GET accounts(<id>)/primarycontactid` (the related record),
 * `GET`/`PUT accounts(<id>)/primarycontactid/$ref {"@odata.id":"<url>"}` (reads or sets a lookup) and
 * `DELETE accounts(<id>)/primarycontactid/$ref` (clears it); `$ref` on collection-valued
 * navigation properties goes to [CollectionReferences], and file and image columns to the [FileColumnHandler].
 */
internal class RecordPropertyHandler(private val context: EmulatorContext) {
    private val collections = CollectionReferences(context)
    private val files = FileColumnHandler(context)

    fun handle(call: ApiCall, table: TableDefinition, key: RecordKey, segments: List<PathSegment>): ApiResponse {
        val first = segments[0]
        if (segments.getOrNull(1)?.name == REF && segments.size == 2) {
            val collection = context.catalog.navigation(table, first.name)?.takeIf { it !is Navigation.SingleValued }
            if (collection != null) return collections.handle(call, table, key, first, collection)
        }
        if (first.keyText != null) throw ApiErrors.segmentNotFound(first.toString())
        val navigation = table.navigation(first.name)
        if (navigation != null && segments.getOrNull(1)?.name == REF && segments.size == 2) {
            return when (call.method) {
                "GET" -> reference(call, table, key, navigation.first, navigation.second)
                "PUT" -> associate(call, table, key, first.name, navigation.first, navigation.second)
                "DELETE" -> clear(call, table, key, navigation.first)
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "PUT", "DELETE"))
            }
        }
        if (navigation != null && segments.size == 1) {
            if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
            return related(call, table, key, navigation.first, navigation.second)
        }
        val file = table.columnByProperty(first.name)?.takeIf { it.type.isFile }
        if (file != null && segments.size <= 2) return files.handle(call, table, key, file, segments)
        if (segments.size > 1) throw ApiErrors.segmentNotFound(segments[1].toString())
        val column = table.columnByProperty(first.name) ?: throw ApiErrors.segmentNotFound(first.name)
        return when (call.method) {
            "GET" -> get(call, table, key, column)
            "PUT" -> put(call, table, key, plainColumn(table, column))
            "DELETE" -> clear(call, table, key, plainColumn(table, column))
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "PUT", "DELETE"))
        }
    }

    private fun get(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        QueryOptions.parse(call.target.parameters, emptySet())
        val record = context.store.table(table).find(key) ?: throw key.notFound(table)
        val value = record[column.logicalName] ?: return ApiResponse.empty(204)
        val contextUrl = "${context.apiUrl}/\$metadata#${table.entitySetName}(${record.id})/${column.propertyName}"
        return ApiResponse.json(200, JsonObject(mapOf("@odata.context" to JsonPrimitive(contextUrl), "value" to ColumnValues.toJson(value))))
    }

    /**
     * `GET accounts(<id>)/primarycontactid/$ref`: the URL of the record a single-valued navigation property points at
     * (OData's entity reference, `{"@odata.id": ...}`, which DynamicsWebApi documents reading with
     * `select: ["<navigation>/$ref"]`). A guess: a lookup that points nowhere answers 204, as OData specifies; Learn
     * does not show that case.
     */
    private fun reference(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition, target: LookupTarget): ApiResponse {
        QueryOptions.parse(call.target.parameters, emptySet())
        val related = relatedRecord(table, key, column, target) ?: return ApiResponse.empty(204)
        val url = "${context.apiUrl}/${related.first.entitySetName}(${related.second})"
        return ApiResponse.json(200, JsonObject(mapOf("@odata.context" to JsonPrimitive("${context.apiUrl}/\$metadata#\$ref"), ODATA_ID to JsonPrimitive(url))))
    }

    /**
     * `GET accounts(<id>)/primarycontactid?$select=fullname`: the record a single-valued navigation property points at,
     * with the usual `$select`/`$expand` (Learn: "Retrieve a table row using the Web API", retrieve related table
     * records; DynamicsWebApi's `select: ["/<navigation>", ...]`). A guess, as for [reference]: 204 when it points
     * nowhere.
     */
    private fun related(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition, target: LookupTarget): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.SINGLE)
        val (relatedTable, id) = relatedRecord(table, key, column, target) ?: return ApiResponse.empty(204)
        val record = context.store.table(relatedTable).get(id) ?: return ApiResponse.empty(204)
        val body = RecordEntityHandler.representation(context, call, relatedTable, record, options)
        return ApiResponse.json(200, body, listOf("ETag" to EntityWriter.etag(record.version)) + call.preferenceApplied())
    }

    /** The table and id of the record [column] of the record [key] points at through [target], or null. */
    private fun relatedRecord(table: TableDefinition, key: RecordKey, column: ColumnDefinition, target: LookupTarget): Pair<TableDefinition, UUID>? {
        val record = context.store.table(table).find(key) ?: throw key.notFound(table)
        val value = record[column.logicalName] as? LookupValue ?: return null
        // A customer lookup's navigation properties each name one target table (parentcustomerid_account, ..._contact).
        if (!value.table.equals(target.table, ignoreCase = true)) return null
        val relatedTable = context.catalog.table(value.table) ?: return null
        return relatedTable to value.id
    }

    private fun put(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        writable(table, column)
        val payload = context.payloads.parseObject(call.request.body)
        val element = payload["value"] ?: throw ApiErrors.invalidArgument("The request body must be {\"value\": <new value>}.")
        val value = ColumnValues.fromJson(table, column, element)
        context.writer.setColumn(table, key, column, value, call.writeCondition)
        return ApiResponse.empty(204)
    }

    private fun associate(
        call: ApiCall,
        table: TableDefinition,
        key: RecordKey,
        navigation: String,
        column: ColumnDefinition,
        target: LookupTarget,
    ): ApiResponse {
        QueryOptions.parse(call.target.parameters, emptySet())
        val payload = context.payloads.parseObject(call.request.body)
        val reference = (payload[ODATA_ID] as? JsonPrimitive)?.takeIf { it.isString }?.content
            ?: throw ApiErrors.invalidArgument("The request body must be {\"@odata.id\": \"<URL of the related record>\"}.")
        val value = context.payloads.resolveReference("$navigation/\$ref", target, reference)
        context.writer.setColumn(table, key, column, value, call.writeCondition)
        return ApiResponse.empty(204)
    }

    private fun clear(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        writable(table, column)
        ColumnValues.requireNullable(table, column)
        context.writer.setColumn(table, key, column, null, call.writeCondition)
        return ApiResponse.empty(204)
    }

    private fun writable(table: TableDefinition, column: ColumnDefinition) {
        if (!column.validForUpdate || column.logicalName == table.primaryIdAttribute) {
            throw ApiErrors.badRequest("The property '${column.propertyName}' of '${table.qualifiedTypeName}' cannot be changed.")
        }
    }

    /** [column] when it can be written as a plain property; lookups are changed through `@odata.bind` and `$ref`. */
    private fun plainColumn(table: TableDefinition, column: ColumnDefinition): ColumnDefinition {
        if (column.type.isLookup) {
            val navigation = column.targets.first().navigationProperty
            throw ApiErrors.badRequest(
                "The lookup '${column.propertyName}' of '${table.qualifiedTypeName}' is changed with '$navigation@odata.bind' " +
                    "or cleared with DELETE .../$navigation/\$ref.",
            )
        }
        return column
    }

    private companion object {
        const val REF = "\$ref"
        const val ODATA_ID = "@odata.id"
    }
}
