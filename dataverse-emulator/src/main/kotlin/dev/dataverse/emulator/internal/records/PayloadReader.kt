package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.json.BoundedJson
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.odata.RequestTarget
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredRecord
import java.util.UUID
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Reads and validates a record payload (POST/PATCH body) for a table: every property must be a column of the
 * table with a value of the right type, lookups are set through `<navigation>@odata.bind` to records that exist,
 * annotations are ignored, and columns the server manages (created on, version number, full name) are ignored.
 */
internal class PayloadReader(private val catalog: MetadataCatalog, private val store: RecordStore) {

    /** The JSON object of [body], or the service's malformed-payload error. */
    fun parseObject(body: ByteArray): JsonObject {
        val element = try {
            BoundedJson.parse(body)
        } catch (e: SerializationException) {
            throw ApiErrors.invalidArgument("The request body is not valid JSON: ${e.message?.lineSequence()?.firstOrNull()}")
        }
        return element as? JsonObject ?: throw ApiErrors.invalidArgument("The request body must be a JSON object.")
    }

    /** The validated changes [payload] makes to a record of [table]; [creating] selects create or update rules. */
    fun read(table: TableDefinition, payload: JsonObject, creating: Boolean): RecordChanges {
        val values = LinkedHashMap<String, Any?>()
        var primaryId: UUID? = null
        for ((name, element) in payload) {
            when {
                name.endsWith(BIND_SUFFIX) -> readBinding(table, name.removeSuffix(BIND_SUFFIX), element, values)
                name.contains('@') -> Unit
                name == table.primaryIdAttribute -> primaryId = ColumnValues.fromJson(table, table.primaryIdColumn, element) as UUID?
                else -> readColumn(table, name, element, creating, values)
            }
        }
        return RecordChanges(values, primaryId)
    }

    private fun readColumn(table: TableDefinition, name: String, element: JsonElement, creating: Boolean, values: MutableMap<String, Any?>) {
        val column = table.column(name)?.takeUnless { it.type.isLookup }
        if (column == null) {
            val lookup = table.column(name) ?: table.columnByProperty(name)
            if (lookup != null && lookup.type.isLookup) throw lookupNeedsBinding(lookup)
            throw ApiErrors.propertyNotFound(name, table.qualifiedTypeName)
        }
        val writable = if (creating) column.validForCreate else column.validForUpdate
        if (writable) values[column.logicalName] = ColumnValues.fromJson(table, column, element)
    }

    private fun readBinding(table: TableDefinition, navigation: String, element: JsonElement, values: MutableMap<String, Any?>) {
        val (column, target) = table.navigation(navigation) ?: throw ApiErrors.propertyNotFound(navigation, table.qualifiedTypeName)
        values[column.logicalName] = when {
            element is JsonNull -> null
            element is JsonPrimitive && element.isString -> resolveReference("$navigation@odata.bind", target, element.content)
            else -> throw ApiErrors.badRequest("The value of '$navigation@odata.bind' must be the URL of a record, such as '/${entitySetOf(target)}(<id>)'.")
        }
    }

    /**
     * The record a reference URL (`/contacts(<id>)`, `contacts(<id>)`, an absolute URL or an alternate-key URL) names,
     * as the value of lookup [target]; [property] names where the URL came from, for error messages.
     */
    fun resolveReference(property: String, target: LookupTarget, reference: String): LookupValue {
        val targetTable = catalog.table(target.table)!!
        return LookupValue(targetTable.logicalName, resolveRecord(property, targetTable, reference).id)
    }

    /** The record of [targetTable] a reference URL names; [property] names where the URL came from, for error messages. */
    fun resolveRecord(property: String, targetTable: TableDefinition, reference: String): StoredRecord {
        if (reference.startsWith("$")) throw ApiErrors.contentIdNotFound(reference)
        val relative = if (reference.contains(API_ROOT)) reference.substringAfter(API_ROOT) else reference.removePrefix("/")
        val segment = RequestTarget.parsePath(PercentCoding.decodePath(relative.substringBefore('?'))).singleOrNull()
        if (segment?.keyText == null || segment.name != targetTable.entitySetName) {
            throw ApiErrors.badRequest(
                "The value '$reference' of '$property' does not identify a record of '${targetTable.entitySetName}'; " +
                    "expected '/${targetTable.entitySetName}(<id>)'.",
            )
        }
        val key = RecordKey.resolve(targetTable, segment.keyText)
        return store.table(targetTable).find(key) ?: throw key.notFound(targetTable)
    }

    private fun entitySetOf(target: LookupTarget): String = catalog.table(target.table)?.entitySetName ?: target.table

    private fun lookupNeedsBinding(column: ColumnDefinition) =
        ApiErrors.badRequest(
            "The lookup '${column.logicalName}' cannot be set as a plain property; use " +
                "'${column.targets.first().navigationProperty}@odata.bind' with the URL of the related record.",
        )

    private companion object {
        const val BIND_SUFFIX = "@odata.bind"
        const val API_ROOT = "/api/data/v9.2/"
    }
}
