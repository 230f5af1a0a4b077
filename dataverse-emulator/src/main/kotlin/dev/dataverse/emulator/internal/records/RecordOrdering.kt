package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.OrderByItem
import dev.dataverse.emulator.internal.odata.ValueComparison
import dev.dataverse.emulator.internal.store.GuidOrder
import dev.dataverse.emulator.internal.store.StoredRecord
import java.util.UUID

/** Where a page ends: the sort values and primary id of its last row. */
internal data class RowPosition(val sortValues: List<Any?>, val id: UUID)

/**
 * The order of a query: the `$orderby` columns (nulls first ascending, last descending, text compared
 * case-insensitively), then the primary id ascending so every row has one place and paging is exact.
 */
internal class RecordOrdering(private val columns: List<Pair<ColumnDefinition, Boolean>>) : Comparator<StoredRecord> {

    /** Whether rows are simply in primary id order, which the store can serve without sorting. */
    val isPrimaryIdOrder: Boolean get() = columns.isEmpty()

    /** The normalized sort values of [record]. */
    fun sortValues(record: StoredRecord): List<Any?> = columns.map { (column, _) -> ColumnValues.normalize(record[column.logicalName]) }

    /** The position just after [record]. */
    fun positionOf(record: StoredRecord): RowPosition = RowPosition(sortValues(record), record.id)

    override fun compare(a: StoredRecord, b: StoredRecord): Int = compare(sortValues(a), a.id, sortValues(b), b.id)

    /** Whether [position] has one value of the right kind per ordering column, as positions this ordering produced do. */
    fun fits(position: RowPosition): Boolean =
        position.sortValues.size == columns.size &&
            columns.zip(position.sortValues).all { (entry, value) -> value == null || ColumnValues.kind(entry.first).accepts(value) }

    /** Whether [record] sorts after [position]. */
    fun isAfter(record: StoredRecord, position: RowPosition): Boolean =
        compare(sortValues(record), record.id, position.sortValues, position.id) > 0

    private fun compare(aValues: List<Any?>, aId: UUID, bValues: List<Any?>, bId: UUID): Int {
        for ((index, entry) in columns.withIndex()) {
            val order = ValueComparison.compareNullsFirst(aValues[index], bValues[index])
            if (order != 0) return if (entry.second) -order else order
        }
        return GuidOrder.compare(aId, bId)
    }

    companion object {
        /** The ordering `$orderby` [items] describe for [table]; unknown properties are 400s. */
        fun of(table: TableDefinition, items: List<OrderByItem>): RecordOrdering =
            RecordOrdering(
                items.map { item ->
                    val column = table.columnByProperty(item.property)
                        ?: throw ApiErrors.propertyNotFound(item.property, table.qualifiedTypeName)
                    column to item.descending
                },
            )
    }
}
