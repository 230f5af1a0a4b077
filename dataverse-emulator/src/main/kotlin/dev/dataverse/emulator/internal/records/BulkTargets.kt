package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.odata.RequestTarget
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** The bulk actions bound to an entity set (`POST accounts/Microsoft.Dynamics.CRM.CreateMultiple`). */
internal enum class BulkAction(val actionName: String) {
    CREATE_MULTIPLE("CreateMultiple"),
    UPDATE_MULTIPLE("UpdateMultiple"),
    UPSERT_MULTIPLE("UpsertMultiple"),
    DELETE_MULTIPLE("DeleteMultiple"),
    ;

    /** The path segment that invokes the action: its fully qualified name. */
    val segment: String get() = "$NAMESPACE.$actionName"

    companion object {
        const val NAMESPACE: String = "Microsoft.Dynamics.CRM"

        /** The action a path segment names, or null. */
        fun ofSegment(segment: String): BulkAction? = entries.firstOrNull { it.segment == segment }
    }
}

/** One validated target of a bulk action: the record it addresses (null for creates) and the changes it makes. */
internal class BulkTarget(val key: RecordKey?, val changes: RecordChanges)

/**
 * Reads and validates every target of a bulk action body (`{"Targets":[...]}`) before anything is applied: each must
 * be an object typed `"@odata.type": "Microsoft.Dynamics.CRM.<table>"` with valid column values; updates need the
 * primary id, upserts the primary id or an `@odata.id` URL of the record (by id or alternate key) that agrees with the
 * key columns the target also carries.
 */
internal class BulkTargetReader(private val payloads: PayloadReader) {

    fun read(table: TableDefinition, body: ByteArray, action: BulkAction): List<BulkTarget> =
        targets(body, action).mapIndexed { index, element -> target(table, element, index, action) }

    /** The `Targets` array of a bulk action body, not yet validated item by item (see [target]). */
    fun targets(body: ByteArray, action: BulkAction): JsonArray {
        val targets = payloads.parseObject(body)[TARGETS] as? JsonArray
            ?: throw ApiErrors.invalidArgument("The ${action.actionName} request body must be {\"$TARGETS\": [<records>]}.")
        if (targets.isEmpty()) throw ApiErrors.invalidArgument("'$TARGETS' of ${action.actionName} must contain at least one record.")
        return targets
    }

    /** Validates target [index]; `DeleteMultiple` targets (elastic tables only) name a record by id and partition. */
    fun target(table: TableDefinition, element: kotlinx.serialization.json.JsonElement, index: Int, action: BulkAction): BulkTarget {
        val target = element as? JsonObject ?: throw ApiErrors.invalidArgument("$TARGETS[$index] of ${action.actionName} is not a JSON object.")
        checkType(table, target, index)
        return when (action) {
            BulkAction.CREATE_MULTIPLE -> BulkTarget(null, payloads.read(table, target, creating = true))
            BulkAction.UPDATE_MULTIPLE -> update(table, target, index)
            BulkAction.UPSERT_MULTIPLE -> upsert(table, target, index)
            BulkAction.DELETE_MULTIPLE -> delete(table, target, index)
        }
    }

    private fun delete(table: TableDefinition, target: JsonObject, index: Int): BulkTarget {
        if (!table.isElastic) throw ApiErrors.deleteMultipleNotImplemented()
        val changes = payloads.read(table, target, creating = false)
        val id = changes.primaryId
            ?: throw ApiErrors.invalidArgument("$TARGETS[$index] of DeleteMultiple has no '${table.primaryIdAttribute}': every target must carry the primary id.")
        return BulkTarget(RecordKey.ById(id, changes.values[ElasticTables.PARTITION_ID] as String?), changes)
    }

    private fun update(table: TableDefinition, target: JsonObject, index: Int): BulkTarget {
        val changes = payloads.read(table, target, creating = false)
        val id = changes.primaryId
            ?: throw ApiErrors.invalidArgument("$TARGETS[$index] of UpdateMultiple has no '${table.primaryIdAttribute}': every target must carry the primary id.")
        return BulkTarget(RecordKey.ById(id), changes)
    }

    private fun upsert(table: TableDefinition, target: JsonObject, index: Int): BulkTarget {
        val changes = payloads.read(table, target, creating = true)
        val key = target[ODATA_ID]?.let { reference(table, it, index) }
            ?: changes.primaryId?.let(RecordKey::ById)
            ?: throw ApiErrors.invalidArgument(
                "$TARGETS[$index] of UpsertMultiple names no record: give it '${table.primaryIdAttribute}' or an '$ODATA_ID' " +
                    "such as '${table.entitySetName}(<key>)'.",
            )
        if (key is RecordKey.ByAlternateKey) key.requireConsistentWith(table, changes)
        return BulkTarget(key, changes)
    }

    /** The key an `@odata.id` names: `accounts(accountnumber='A1')`, `/accounts(<id>)` or an absolute URL. */
    private fun reference(table: TableDefinition, element: Any, index: Int): RecordKey {
        val invalid = ApiErrors.invalidArgument(
            "The '$ODATA_ID' of $TARGETS[$index] must be the URL of a record of '${table.entitySetName}', such as " +
                "'${table.entitySetName}(<key>)'.",
        )
        val text = (element as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw invalid
        val relative = if (text.contains(API_ROOT)) text.substringAfter(API_ROOT) else text.removePrefix("/")
        val segment = RequestTarget.parsePath(PercentCoding.decodePath(relative)).singleOrNull() ?: throw invalid
        if (segment.name != table.entitySetName || segment.keyText == null) throw invalid
        return RecordKey.resolve(table, segment.keyText)
    }

    private fun checkType(table: TableDefinition, target: JsonObject, index: Int) {
        val type = (target[ODATA_TYPE] as? JsonPrimitive)?.takeIf { it.isString }?.content?.removePrefix("#")
        if (type == null) {
            throw ApiErrors.badRequest(
                "$TARGETS[$index] has no '$ODATA_TYPE': every target must carry \"$ODATA_TYPE\": \"${table.qualifiedTypeName}\".",
            )
        }
        if (type != table.qualifiedTypeName) {
            throw ApiErrors.badRequest("$TARGETS[$index] has '$ODATA_TYPE' '$type', but the request is for '${table.qualifiedTypeName}'.")
        }
    }

    private companion object {
        const val TARGETS = "Targets"
        const val ODATA_TYPE = "@odata.type"
        const val ODATA_ID = "@odata.id"
        const val API_ROOT = "/api/data/v9.2/"
    }
}
