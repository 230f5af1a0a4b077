package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.odata.ValueComparison
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.store.GuidOrder
import java.util.UUID

/** One sort key of a query: what it reads from a row (a normalized value of [kind]) and its direction. */
internal class OrderKey(val kind: ValueKind, val descending: Boolean, val read: (JoinedRow) -> Any?)

/** Where a row sorts: its sort values, then the primary ids of its records, source by source. */
internal data class QueryPosition(val sortValues: List<Any?>, val ids: List<UUID?>)

/** A row with its position, computed once so sorting reads each value only once. */
internal class PositionedRow(val row: JoinedRow, val position: QueryPosition)

/**
 * The order of a query's rows: the [keys] (nulls first ascending, last descending, text case-insensitively), then the
 * record ids of every source, so every row has exactly one place and paging after a position is exact.
 */
internal class RowOrdering(private val keys: List<OrderKey>, private val sourceCount: Int) : Comparator<QueryPosition> {

    /** The position of [row]. */
    fun positionOf(row: JoinedRow): QueryPosition = QueryPosition(keys.map { it.read(row) }, row.ids())

    /** [rows] in this order, with their positions. */
    fun sort(rows: List<JoinedRow>): List<PositionedRow> = rows.map { PositionedRow(it, positionOf(it)) }.sortedWith { a, b -> compare(a.position, b.position) }

    override fun compare(a: QueryPosition, b: QueryPosition): Int {
        for ((index, key) in keys.withIndex()) {
            val order = ValueComparison.compareNullsFirst(a.sortValues[index], b.sortValues[index])
            if (order != 0) return if (key.descending) -order else order
        }
        for (index in 0 until sourceCount) {
            val order = compareIds(a.ids[index], b.ids[index])
            if (order != 0) return order
        }
        return 0
    }

    /** Whether [position] has the shape of positions this ordering produces: one value of the right kind per key, one id per source. */
    fun fits(position: QueryPosition): Boolean =
        position.sortValues.size == keys.size && position.ids.size == sourceCount && position.ids.firstOrNull() != null &&
            keys.zip(position.sortValues).all { (key, value) -> value == null || key.kind.accepts(value) }

    private fun compareIds(a: UUID?, b: UUID?): Int = when {
        a == null && b == null -> 0
        a == null -> -1
        b == null -> 1
        else -> GuidOrder.compare(a, b)
    }
}
