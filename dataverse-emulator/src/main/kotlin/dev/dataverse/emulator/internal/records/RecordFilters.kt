package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.FilterCompiler
import dev.dataverse.emulator.internal.odata.FilterExpression
import dev.dataverse.emulator.internal.odata.FilterProperty
import dev.dataverse.emulator.internal.store.StoredRecord

/** Binds `$filter` expressions to the columns of a table. */
internal object RecordFilters {

    /** The predicate [expression] expresses over records of [table]; unknown properties and mismatched literals are 400s. */
    fun compile(table: TableDefinition, expression: FilterExpression): (StoredRecord) -> Boolean =
        FilterCompiler(table.qualifiedTypeName) { name -> property(table, name) }.compile(expression)

    private fun property(table: TableDefinition, name: String): FilterProperty<StoredRecord>? {
        val column = table.columnByProperty(name) ?: return null
        val logicalName = column.logicalName
        return FilterProperty(name, ColumnValues.kind(column)) { record -> ColumnValues.normalize(record[logicalName]) }
    }
}
