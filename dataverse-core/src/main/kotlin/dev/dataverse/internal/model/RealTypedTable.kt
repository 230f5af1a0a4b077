package dev.dataverse.internal.model

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DataverseRecord
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.MatchConditions
import dev.dataverse.Pager
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.Records
import dev.dataverse.RetrieveOptions
import dev.dataverse.model.FileColumn
import dev.dataverse.model.LookupColumn
import dev.dataverse.model.TableModel
import dev.dataverse.model.TypedColumn
import dev.dataverse.model.TypedTable
import dev.dataverse.model.WriteOperation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import java.util.UUID

/** The typed operations as adapters over the untyped [records]: one implementation of every operation. */
internal class RealTypedTable<T : Any>(private val records: Records, override val model: TableModel<T>) : TypedTable<T> {
    private val table = model.logicalName
    private val retrieve = RetrieveOptions(select = model.columns, includeAnnotations = model.needsAnnotations)

    override suspend fun create(entity: T): UUID = records.create(table, write(entity, WriteOperation.CREATE))

    override suspend fun get(id: UUID): T = model.fromRecord(records.get(table, id, retrieve))

    override suspend fun get(key: RecordKey): T = model.fromRecord(records.get(table, key, retrieve))

    override suspend fun update(entity: T, conditions: MatchConditions, clear: Collection<TypedColumn>) =
        update(RecordKey.id(requireId(entity, null)), entity, conditions, clear)

    override suspend fun update(key: RecordKey, entity: T, conditions: MatchConditions, clear: Collection<TypedColumn>) {
        val values = write(entity, WriteOperation.UPDATE)
        records.update(table, key, if (clear.isEmpty()) values else values + cleared(clear), conditions)
    }

    override suspend fun upsert(entity: T, conditions: MatchConditions): UUID = upsert(RecordKey.id(requireId(entity, null)), entity, conditions)

    override suspend fun upsert(key: RecordKey, entity: T, conditions: MatchConditions): UUID =
        records.upsert(table, key, write(entity, WriteOperation.UPDATE), conditions)

    override suspend fun delete(id: UUID, conditions: MatchConditions) = records.delete(table, id, conditions)

    override fun list(filter: Filter?, options: ListOptions): Flow<T> = records.list(table, listOptions(filter, options)).map(model::fromRecord)

    override fun pager(filter: Filter?, options: ListOptions): Pager = records.pager(table, listOptions(filter, options))

    override suspend fun createMany(entities: List<T>, options: BulkOptions): BulkResult =
        records.createMany(table, entities.map { write(it, WriteOperation.CREATE) }, options)

    override suspend fun updateMany(entities: List<T>, options: BulkOptions): BulkResult =
        records.updateMany(table, changes(entities), options)

    override suspend fun upsertMany(entities: List<T>, options: BulkOptions): BulkResult =
        records.upsertMany(table, changes(entities), options)

    override suspend fun deleteMany(ids: Collection<UUID>, options: BulkOptions): BulkResult =
        records.deleteMany(table, ids.map { RecordKey.id(it) }, options)

    /** Converts a listing's record; exposed for the Java facades' typed paging. */
    fun convert(record: DataverseRecord): T = model.fromRecord(record)

    private fun listOptions(filter: Filter?, options: ListOptions): ListOptions = options.toBuilder()
        .select(model.columns)
        .filter(filter)
        .includeAnnotations(options.includeAnnotations || model.needsAnnotations)
        .build()

    private fun changes(entities: List<T>): List<RecordChange> = entities.mapIndexed { index, entity ->
        RecordChange.of(requireId(entity, index), write(entity, WriteOperation.UPDATE))
    }

    private fun write(entity: T, operation: WriteOperation): Map<String, Any?> {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (entity == null) throw InvalidInputException("The '$table' instance cannot be null.")
        return model.toValues(entity, operation)
    }

    private fun requireId(entity: T, index: Int?): UUID {
        @Suppress("SENSELESS_COMPARISON")
        if (entity == null) throw InvalidInputException("The '$table' instance${index?.let { " at position $it" } ?: ""} cannot be null.")
        return model.idOf(entity) ?: throw InvalidInputException(
            "The '$table' instance${index?.let { " at position $it" } ?: ""} has no '${model.primaryIdColumn}': it names no record to write.",
        )
    }

    private fun cleared(columns: Collection<TypedColumn>): Map<String, Any?> = columns.associate { column ->
        when {
            column is LookupColumn -> throw InvalidInputException(
                "Lookup '${column.logicalName}' cannot be cleared by an update: use records.disassociate with its navigation property.",
            )
            column is FileColumn -> throw InvalidInputException("File column '${column.logicalName}' is cleared through the files operations.")
            column.filterName !in model.columns -> throw InvalidInputException("Column '${column.logicalName}' is not a column of '$table'.")
            else -> column.logicalName to null
        }
    }
}
