package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.Navigation
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.WriteCondition
import dev.dataverse.emulator.internal.records.find
import dev.dataverse.emulator.internal.records.notFound
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.StoredRecord
import kotlinx.serialization.json.JsonPrimitive

/**
 * Associates and disassociates records through a collection-valued navigation property:
 * `POST accounts(<id>)/nav/$ref {"@odata.id":"<url>"}`, `DELETE accounts(<id>)/nav(<targetId>)/$ref` and
 * `DELETE accounts(<id>)/nav/$ref?$id=<url>`. For the reverse side of a one-to-many relationship this sets or clears
 * the related record's lookup; for a many-to-many relationship it adds or removes an intersect row.
 */
internal class CollectionReferences(private val context: EmulatorContext) {

    fun handle(call: ApiCall, table: TableDefinition, key: RecordKey, segment: PathSegment, navigation: Navigation): ApiResponse {
        val source = context.store.table(table).find(key) ?: throw key.notFound(table)
        val targetTable = context.catalog.table(navigation.targetTable)!!
        val property = "${segment.name}/\$ref"
        return when (call.method) {
            "POST" -> {
                if (segment.keyText != null) throw ApiErrors.methodNotAllowed("POST", listOf("DELETE"))
                val payload = context.payloads.parseObject(call.request.body)
                val reference = (payload[ODATA_ID] as? JsonPrimitive)?.takeIf { it.isString }?.content
                    ?: throw ApiErrors.invalidArgument("The request body must be {\"@odata.id\": \"<URL of the related record>\"}.")
                associate(table, source, navigation, context.payloads.resolveRecord(property, targetTable, reference))
                ApiResponse.empty(204)
            }
            "DELETE" -> {
                val target = when {
                    segment.keyText != null -> {
                        val targetKey = RecordKey.resolve(targetTable, segment.keyText)
                        context.store.table(targetTable).find(targetKey) ?: throw targetKey.notFound(targetTable)
                    }
                    else -> {
                        val reference = call.target.option(ID)
                            ?: throw ApiErrors.badRequest("DELETE of '$property' needs the related record: '${segment.name}(<id>)/\$ref' or '\$ref?\$id=<URL>'.")
                        context.payloads.resolveRecord(property, targetTable, reference)
                    }
                }
                disassociate(table, source, navigation, target)
                ApiResponse.empty(204)
            }
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("POST", "DELETE"))
        }
    }

    private fun associate(table: TableDefinition, source: StoredRecord, navigation: Navigation, target: StoredRecord) {
        when (navigation) {
            is Navigation.CollectionValued -> {
                val targetTable = context.catalog.table(navigation.targetTable)!!
                val value = LookupValue(table.logicalName, source.id)
                context.writer.setColumn(targetTable, RecordKey.ById(target.id), navigation.column, value, WriteCondition.None)
            }
            is Navigation.ManyToMany -> {
                val (first, second) = orient(table, navigation, source, target)
                if (!context.store.intersect(navigation.relationship.schemaName).associate(first, second)) throw ApiErrors.duplicateRecord()
            }
            is Navigation.SingleValued -> error("single-valued navigations are handled by RecordPropertyHandler")
        }
    }

    private fun disassociate(table: TableDefinition, source: StoredRecord, navigation: Navigation, target: StoredRecord) {
        val notAssociated = ApiException(
            404,
            ErrorCodes.RECORD_NOT_FOUND,
            "The ${navigation.targetTable} record with id ${target.id} is not associated with the ${table.logicalName} record with id ${source.id} through '${navigation.name}'.",
        )
        when (navigation) {
            is Navigation.CollectionValued -> {
                val targetTable = context.catalog.table(navigation.targetTable)!!
                val current = target[navigation.column.logicalName] as LookupValue?
                if (current?.id != source.id || current.table != table.logicalName) throw notAssociated
                context.writer.setColumn(targetTable, RecordKey.ById(target.id), navigation.column, null, WriteCondition.None)
            }
            is Navigation.ManyToMany -> {
                val (first, second) = orient(table, navigation, source, target)
                if (!context.store.intersect(navigation.relationship.schemaName).disassociate(first, second)) throw notAssociated
            }
            is Navigation.SingleValued -> error("single-valued navigations are handled by RecordPropertyHandler")
        }
    }

    /** The (entity 1 id, entity 2 id) pair of an association made from [table] through [navigation]. */
    private fun orient(table: TableDefinition, navigation: Navigation.ManyToMany, source: StoredRecord, target: StoredRecord) =
        if (table.logicalName == navigation.relationship.entity1 && navigation.name == navigation.relationship.entity1NavigationPropertyName) {
            source.id to target.id
        } else {
            target.id to source.id
        }

    private companion object {
        const val ODATA_ID = "@odata.id"
        const val ID = "\$id"
    }
}
