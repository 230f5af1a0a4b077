package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.records.ColumnValues
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.work.RequestDeadline

/**
 * How [source] joins the row built so far: its records whose [column] equals [parentColumn], as an inner join (rows
 * without a match are dropped) or a left outer join (they keep a null record). [condition] restricts which records of
 * [source] can match — a link-entity filter — and sees the row with the candidate record in place.
 */
internal class Join(
    val source: QuerySource,
    val parentColumn: SourceColumn,
    val column: ColumnDefinition,
    val outer: Boolean,
    val condition: RowTest?,
) {
    init {
        val left = family(parentColumn.kind)
        val right = family(ColumnValues.kind(column))
        if (left != right) {
            throw ApiErrors.badRequest(
                "Cannot join '$parentColumn' (${parentColumn.kind.edmType}) with '${source.alias}.${column.logicalName}' " +
                    "(${ColumnValues.kind(column).edmType}): the columns hold different types.",
            )
        }
    }

    private fun family(kind: ValueKind): ValueKind = if (kind == ValueKind.INT64) ValueKind.INT32 else kind
}

/** Runs the [joins] of a query with [sourceCount] sources, one root record at a time; joins come parents first. */
internal class Joiner(store: RecordStore, private val sourceCount: Int, private val joins: List<Join>) {
    private val indexes: List<Map<Any, List<StoredRecord>>> = joins.map { join ->
        val column = join.column.logicalName
        val index = HashMap<Any, MutableList<StoredRecord>>()
        for (record in store.table(join.source.table).all()) {
            ValueKeys.of(record[column])?.let { index.getOrPut(it) { mutableListOf() }.add(record) }
        }
        index
    }

    /** The rows [root] contributes: one per combination of matching joined records. */
    fun rows(root: StoredRecord): List<JoinedRow> {
        var rows = listOf(JoinedRow.of(root, sourceCount))
        for ((position, join) in joins.withIndex()) {
            rows = rows.flatMap {
                RequestDeadline.check()
                extend(it, join, indexes[position])
            }
            if (rows.isEmpty()) break
        }
        return rows
    }

    private fun extend(row: JoinedRow, join: Join, index: Map<Any, List<StoredRecord>>): List<JoinedRow> {
        val candidates = ValueKeys.of(join.parentColumn.stored(row))?.let { index[it] }.orEmpty()
        val matches = candidates.map { row.with(join.source.index, it) }.filter { join.condition?.invoke(it) ?: true }
        return when {
            matches.isNotEmpty() -> matches
            join.outer -> listOf(row)
            else -> emptyList()
        }
    }
}
