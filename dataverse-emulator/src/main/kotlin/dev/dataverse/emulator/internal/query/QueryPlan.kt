package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.work.RequestDeadline

/**
 * A FetchXML or SQL query bound to the catalog: its [sources] (the root first), the [joins] that bring in the others,
 * the [where] condition and the sort keys. What a row returns is up to the front end.
 */
internal class QueryPlan(
    val sources: List<QuerySource>,
    val joins: List<Join>,
    val where: RowTest?,
    orderKeys: List<OrderKey>,
) {
    /** The root source. */
    val root: QuerySource get() = sources[0]

    /** The complete order of the rows: the sort keys, then record ids. */
    val ordering: RowOrdering = RowOrdering(orderKeys, sources.size)

    /** Every row matching [where], in no particular order. */
    fun matchingRows(store: RecordStore): List<JoinedRow> {
        val where = where
        val records = store.table(root.table).all()
        val rows = if (joins.isEmpty()) {
            records.map { JoinedRow.of(it, sources.size) }
        } else {
            val joiner = Joiner(store, sources.size, joins)
            records.flatMap {
                RequestDeadline.check()
                joiner.rows(it)
            }
        }
        return if (where == null) rows else rows.filter {
            RequestDeadline.check()
            where(it) == true
        }
    }

    /** Every matching row in [ordering], with its position. */
    fun sortedRows(store: RecordStore): List<PositionedRow> = ordering.sort(matchingRows(store))
}

/** One page of results, and whether more follow it. */
internal data class ResultPage<T>(val rows: List<T>, val hasMore: Boolean)

/** Slicing sorted results into pages, after a position or at an offset. */
internal object ResultPages {

    /** Up to [limit] of [rows] starting at [offset]. */
    fun <T> atOffset(rows: List<T>, offset: Int, limit: Int): ResultPage<T> {
        val start = offset.coerceIn(0, rows.size)
        val end = (start.toLong() + limit).coerceAtMost(rows.size.toLong()).toInt()
        return ResultPage(rows.subList(start, end), end < rows.size)
    }

    /** Up to [limit] of [rows] (sorted in [ordering]) that sort after [position]. */
    fun after(rows: List<PositionedRow>, ordering: RowOrdering, position: QueryPosition, limit: Int): ResultPage<PositionedRow> {
        val start = rows.indexOfFirst { ordering.compare(it.position, position) > 0 }.let { if (it < 0) rows.size else it }
        return atOffset(rows, start, limit)
    }
}
