package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.options.DuplicateRules
import dev.dataverse.emulator.internal.options.RequestScope
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredFile
import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.store.TableStore
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.UUID

/** The result of a write: the record as stored and whether the write created it. */
internal data class WriteOutcome(val record: StoredRecord, val created: Boolean)

/**
 * Creates, updates, upserts and deletes records with the service's rules: conditional headers, duplicate ids
 * and alternate keys (412), server-set columns (created on, modified on, version number, full name, state and
 * status defaults). Each operation is atomic within its table.
 */
internal class RecordWriter(
    private val store: RecordStore,
    private val cascade: DeleteCascade,
    /**
     * The user the current request acts as (the owner a record of a user-owned table gets when the payload names none,
     * and its `createdby`/`modifiedby`), and the real caller when that is another user (impersonation).
     */
    private val scope: () -> RequestScope,
    private val duplicates: DuplicateRules = DuplicateRules(),
    private val clock: () -> Instant = Instant::now,
) {
    private val caller: () -> Caller = { scope().caller }

    /** The duplicate check of a request that asked for it; see [DuplicateRules]. */
    private fun checked(table: TableDefinition, tableStore: TableStore, record: StoredRecord): StoredRecord {
        if (scope().duplicateDetection) duplicates.check(table, record, tableStore.all().asSequence())
        return record
    }


    /** POST: creates a record, with the client's primary id when the payload has one. */
    fun create(table: TableDefinition, changes: RecordChanges): StoredRecord {
        val tableStore = store.table(table)
        return tableStore.write { writer ->
            val id = changes.primaryId ?: UUID.randomUUID()
            if (tableStore.get(id) != null) throw ApiErrors.duplicateRecord()
            checked(table, tableStore, newRecord(table, id, changes, emptyMap())).also(writer::put)
        }
    }

    /** PATCH: updates, creates or upserts the record [requested] names, as [condition] allows. */
    fun write(table: TableDefinition, requested: RecordKey, changes: RecordChanges, condition: WriteCondition): WriteOutcome {
        val tableStore = store.table(table)
        // An elastic table's PATCH names the partition in its body (Learn: "Use elastic tables using code", upsert).
        val key = if (table.isElastic && requested is RecordKey.ById && requested.partitionId == null) {
            requested.copy(partitionId = changes.values[ElasticTables.PARTITION_ID] as String?)
        } else {
            requested
        }
        if (key is RecordKey.ById && changes.primaryId != null && changes.primaryId != key.id) {
            throw ApiErrors.invalidArgument("The primary id '${changes.primaryId}' in the request body does not match the id '${key.id}' in the request URI.")
        }
        return tableStore.write { writer ->
            val existing = tableStore.find(key)
            when {
                existing != null -> {
                    if (condition == WriteCondition.IfNoneMatch) throw ApiErrors.duplicateRecord()
                    if (changes.primaryId != null && changes.primaryId != existing.id) {
                        throw ApiErrors.invalidArgument("The primary id '${changes.primaryId}' in the request body does not match the record the key identifies.")
                    }
                    checkVersion(existing, condition)
                    ElasticTables.requireSamePartition(table, existing, changes.values)
                    // An elastic upsert replaces the record with the payload (Learn: "Use elastic tables using code", Upsert).
                    val written = if (table.isElastic && condition == WriteCondition.None) {
                        newRecord(table, existing.id, changes, mapOf(ElasticTables.PARTITION_ID to ElasticTables.partitionOf(existing)))
                    } else {
                        updatedRecord(table, existing, withoutKeyColumns(table, key, condition, changes.values))
                    }
                    WriteOutcome(checked(table, tableStore, written), created = false).also { writer.put(it.record) }
                }
                condition is WriteCondition.IfMatch -> throw key.notFound(table)
                else -> WriteOutcome(checked(table, tableStore, createFromKey(table, tableStore, key, changes)), created = true).also { writer.put(it.record) }
            }
        }
    }

    /** DELETE: removes the record [key] names. */
    fun delete(table: TableDefinition, key: RecordKey, condition: WriteCondition) {
        store.atomically(cascade.reach(table)) {
            val existing = store.table(table).find(key) ?: throw key.notFound(table)
            checkVersion(existing, condition)
            deleteCascading(table, existing.id)
        }
    }

    /** The tables a delete from [table] may change; see [DeleteCascade.reach]. */
    fun cascadeReach(table: TableDefinition): Set<TableDefinition> = cascade.reach(table)

    /**
     * Deletes record [id] of [table] and applies the `Delete` rule of every relationship that points at it (see
     * [DeleteCascade]); runs inside a transaction over [DeleteCascade.reach], so a `Restrict` met anywhere undoes all.
     * The record is removed before its references are followed, so a cycle of `Cascade` rules ends.
     */
    fun deleteCascading(table: TableDefinition, id: UUID) {
        val references = cascade.referencesTo(table)
        val referencing = references.associateWith { reference ->
            store.table(reference.table).all().filter { cascade.points(it, reference, table, id) }
        }
        referencing.entries.firstOrNull { (reference, rows) -> reference.rule == DeleteCascade.RESTRICT && rows.isNotEmpty() }
            ?.let { (reference, _) -> throw cascade.restricted(reference, table) }
        if (!store.table(table).write { writer -> writer.remove(id) }) return
        store.forgetAssociations(table.logicalName, id)
        for ((reference, rows) in referencing) {
            val tableStore = store.table(reference.table)
            when (reference.rule) {
                DeleteCascade.CASCADE -> rows.forEach { deleteCascading(reference.table, it.id) }
                DeleteCascade.REMOVE_LINK -> tableStore.write { writer ->
                    rows.forEach { row ->
                        val current = tableStore.get(row.id) ?: return@forEach
                        if (cascade.points(current, reference, table, id)) {
                            writer.put(updatedRecord(reference.table, current, mapOf(reference.column.logicalName to null)))
                        }
                    }
                }
            }
        }
    }

    /** DELETE of a single property, or PUT of one: sets [column] of the record [key] names to [value]. */
    fun setColumn(table: TableDefinition, key: RecordKey, column: ColumnDefinition, value: Any?, condition: WriteCondition): StoredRecord {
        val tableStore = store.table(table)
        return tableStore.write { writer ->
            val existing = tableStore.find(key) ?: throw key.notFound(table)
            checkVersion(existing, condition)
            updatedRecord(table, existing, mapOf(column.logicalName to value)).also(writer::put)
        }
    }

    /**
     * Changes the file reference of file or image [column] on the record [key] names, atomically: [change] gets the
     * current [StoredFile] (null when the column is empty) under the table's write lock and returns the new one (null
     * clears the column), or throws to refuse (e.g. `If-None-Match: null` on a full column). The supporting
     * `<column>_name` column follows. Returns the current file and the record as stored after the change.
     */
    fun updateFile(
        table: TableDefinition,
        key: RecordKey,
        column: ColumnDefinition,
        change: (StoredFile?) -> StoredFile?,
    ): Pair<StoredFile?, StoredRecord> {
        require(column.type.isFile) { "Column '${column.logicalName}' is not a file or image column" }
        val tableStore = store.table(table)
        return tableStore.write { writer ->
            val existing = tableStore.find(key) ?: throw key.notFound(table)
            val current = existing[column.logicalName] as StoredFile?
            val next = change(current)
            val values = LinkedHashMap<String, Any?>()
            values[column.logicalName] = next
            table.fileNameColumn(column)?.let { values[it.logicalName] = next?.name }
            current to updatedRecord(table, existing, values).also(writer::put)
        }
    }

    private fun createFromKey(table: TableDefinition, tableStore: TableStore, key: RecordKey, changes: RecordChanges): StoredRecord =
        when (key) {
            is RecordKey.ById -> {
                // Only an elastic table can miss a record whose id is taken: it lives in another partition. See ElasticTables.
                if (tableStore.get(key.id) != null) throw ApiErrors.duplicateRecord()
                newRecord(table, key.id, changes, key.partitionId?.let { mapOf(ElasticTables.PARTITION_ID to it) } ?: emptyMap())
            }
            is RecordKey.ByAlternateKey -> {
                // Learn ("Use Upsert to Create or Update a record"): a standard table's record is created with the key
                // values of the body, "even if the data is different" from the key in the URL, which only fills in key
                // columns the body lacks. An elastic table's key names the partition, which a body cannot contradict.
                if (table.isElastic) key.requireConsistentWith(table, changes)
                val keyValues = key.columnValues()
                // A key that holds the primary id (an elastic table's KeyForNoSqlEntityWithPKPartitionId) gives the new record its id.
                val id = changes.primaryId ?: keyValues[table.primaryIdAttribute] as UUID? ?: UUID.randomUUID()
                if (tableStore.get(id) != null) throw ApiErrors.duplicateRecord()
                newRecord(table, id, changes, keyValues)
            }
        }

    /**
     * The values an upsert by alternate key applies to the record the key found: without the key's columns. Learn ("Use
     * Upsert to Create or Update a record"): "The server removes the data set in the body of the request for those
     * alternate key values in the URL", so a record's key cannot change through the key that identifies it.
     */
    private fun withoutKeyColumns(table: TableDefinition, key: RecordKey, condition: WriteCondition, values: Map<String, Any?>): Map<String, Any?> =
        if (key is RecordKey.ByAlternateKey && !table.isElastic && condition == WriteCondition.None) values - key.key.keyAttributes.toSet() else values

    private fun newRecord(table: TableDefinition, id: UUID, changes: RecordChanges, keyValues: Map<String, Any?>): StoredRecord {
        val values = LinkedHashMap<String, Any?>()
        table.columns.forEach { column -> column.defaultValue?.let { values[column.logicalName] = it } }
        val caller = caller()
        table.columns.firstOrNull { it.type == ColumnType.OWNER }?.let { values[it.logicalName] = LookupValue(StandardTables.SYSTEM_USER, caller.userId) }
        values.putAll(keyValues)
        values.putAll(changes.values)
        // A record created without a partition lives in the one named by its primary id (Learn: "Elastic tables").
        if (table.isElastic && values[ElasticTables.PARTITION_ID] == null) values[ElasticTables.PARTITION_ID] = id.toString()
        audit(table, values, caller, ColumnFactory.CREATED_BY, ColumnFactory.CREATED_ON_BEHALF_BY)
        audit(table, values, caller, ColumnFactory.MODIFIED_BY, ColumnFactory.MODIFIED_ON_BEHALF_BY)
        values[table.primaryIdAttribute] = id
        val now = clock().truncatedTo(ChronoUnit.SECONDS)
        table.column(CREATED_ON)?.let { values[it.logicalName] = now }
        return finish(table, id, values, changes.values.keys, now)
    }

    private fun updatedRecord(table: TableDefinition, existing: StoredRecord, changes: Map<String, Any?>): StoredRecord {
        val values = LinkedHashMap(existing.values)
        values.putAll(changes)
        audit(table, values, caller(), ColumnFactory.MODIFIED_BY, ColumnFactory.MODIFIED_ON_BEHALF_BY)
        return finish(table, existing.id, values, changes.keys, clock().truncatedTo(ChronoUnit.SECONDS))
    }

    private fun finish(table: TableDefinition, id: UUID, values: MutableMap<String, Any?>, changed: Set<String>, now: Instant): StoredRecord {
        StateStatusRule.apply(table, values, changed)
        for (composed in table.composedColumns) {
            val text = composed.parts.mapNotNull { values[it] as String? }.joinToString(" ").trim()
            values[composed.column] = text.ifEmpty { null }
        }
        table.column(MODIFIED_ON)?.let { values[it.logicalName] = now }
        val version = store.nextVersion()
        table.column(VERSION_NUMBER)?.let { values[it.logicalName] = version }
        return StoredRecord(id, values, version)
    }

    private fun checkVersion(existing: StoredRecord, condition: WriteCondition) {
        val versions = (condition as? WriteCondition.IfMatch)?.versions ?: return
        if (existing.version !in versions) throw ApiErrors.versionMismatch()
    }

    private companion object {
        const val CREATED_ON = "createdon"
        const val MODIFIED_ON = "modifiedon"
        const val VERSION_NUMBER = "versionnumber"
    }

    /** Sets [by] to the user acted as and [onBehalfBy] to the real caller when impersonating (else clears it). */
    private fun audit(table: TableDefinition, values: MutableMap<String, Any?>, caller: Caller, by: String, onBehalfBy: String) {
        if (table.column(by) != null) values[by] = LookupValue(StandardTables.SYSTEM_USER, caller.userId)
        if (table.column(onBehalfBy) != null) {
            values[onBehalfBy] = caller.realUserId.takeIf { it != caller.userId }?.let { LookupValue(StandardTables.SYSTEM_USER, it) }
        }
    }
}

/**
 * Keeps `statecode` and `statuscode` consistent: setting only the state gives its default status, setting only
 * the status gives its state, and a status that does not belong to the state is a validation error.
 */
internal object StateStatusRule {
    fun apply(table: TableDefinition, values: MutableMap<String, Any?>, changed: Set<String>) {
        val state = table.columns.firstOrNull { it.type == ColumnType.STATE } ?: return
        val status = table.columns.firstOrNull { it.type == ColumnType.STATUS } ?: return
        val stateChanged = state.logicalName in changed
        val statusChanged = status.logicalName in changed
        val stateValue = values[state.logicalName] as Int?
        val statusValue = values[status.logicalName] as Int?
        when {
            stateChanged && !statusChanged && stateValue != null ->
                values[status.logicalName] = state.option(stateValue)?.defaultStatus ?: statusValue
            statusChanged && !stateChanged && statusValue != null ->
                values[state.logicalName] = status.option(statusValue)?.state ?: stateValue
            stateChanged && statusChanged && statusValue != null && status.option(statusValue)?.state != stateValue ->
                throw ApiErrors.validation(
                    "A validation error occurred.  The status reason $statusValue is not valid for the state $stateValue of '${table.logicalName}'.",
                )
        }
    }
}
