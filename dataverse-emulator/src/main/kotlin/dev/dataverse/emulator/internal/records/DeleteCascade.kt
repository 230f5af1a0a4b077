package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.StoredRecord

/**
 * The `Delete` rule of each one-to-many relationship (its `CascadeConfiguration`), applied when a referenced record is
 * deleted (Learn: configure-entity-relationship-cascading-behavior): `Cascade` deletes the referencing records too,
 * `RemoveLink` clears their lookup, `Restrict` refuses the delete while any exist, `NoCascade` leaves them as they are.
 */
internal class DeleteCascade(private val catalog: MetadataCatalog) {

    /** A lookup column of [table] that can point at the table being deleted from, with the relationship's rule. */
    class Reference(val table: TableDefinition, val column: ColumnDefinition, val target: LookupTarget) {
        val rule: String get() = target.cascade[DELETE] ?: LookupTarget.DEFAULT_CASCADE.getValue(DELETE)
    }

    /** The lookups that point at [table] under a rule other than `NoCascade`. */
    fun referencesTo(table: TableDefinition): List<Reference> = catalog.tables().flatMap { referencing ->
        referencing.columns.flatMap { column ->
            column.targets.filter { it.table == table.logicalName }.map { Reference(referencing, column, it) }
        }
    }.filter { it.rule != NO_CASCADE }

    /** [table] and every table a delete from it can reach through the rules: the tables its transaction must hold. */
    fun reach(table: TableDefinition): Set<TableDefinition> {
        val reached = LinkedHashSet<TableDefinition>()
        val pending = ArrayDeque(listOf(table))
        while (pending.isNotEmpty()) {
            val next = pending.removeFirst()
            if (!reached.add(next)) continue
            referencesTo(next).forEach { pending += it.table }
        }
        return reached
    }

    /** Whether [record] points at record [id] of [table] through [reference]. */
    fun points(record: StoredRecord, reference: Reference, table: TableDefinition, id: java.util.UUID): Boolean =
        (record[reference.column.logicalName] as? LookupValue)?.let { it.table == table.logicalName && it.id == id } == true

    /**
     * The error of a `Restrict` rule. The service's error code for it is not documented: this one (InvalidArgument) is
     * a guess, and clients must not key behaviour on it.
     */
    fun restricted(reference: Reference, table: TableDefinition): ApiException = ApiException(
        400, ErrorCodes.INVALID_ARGUMENT,
        "The ${table.logicalName} record cannot be deleted because ${reference.table.logicalName} records refer to it through " +
            "'${reference.column.logicalName}', whose relationship '${reference.target.relationshipSchemaName}' restricts deletes.",
    )

    companion object {
        const val DELETE: String = "Delete"
        const val CASCADE: String = "Cascade"
        const val REMOVE_LINK: String = "RemoveLink"
        const val RESTRICT: String = "Restrict"
        const val NO_CASCADE: String = "NoCascade"
    }
}
