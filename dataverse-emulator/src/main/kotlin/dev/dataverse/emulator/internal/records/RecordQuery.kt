package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.store.TableStore
import dev.dataverse.emulator.internal.work.RequestDeadline
import java.util.PriorityQueue

/** One page of a query: its rows, and whether more rows follow them. */
internal data class QueryPage(val rows: List<StoredRecord>, val hasMore: Boolean)

/**
 * Runs a filtered, ordered query over one table. Pages start after a [RowPosition] rather than at an offset,
 * so concurrent inserts and deletes never make a row appear twice or be skipped.
 */
internal class RecordQuery(
    private val store: TableStore,
    private val filter: ((StoredRecord) -> Boolean)?,
    private val ordering: RecordOrdering,
) {
    /** How many records match the filter. */
    fun count(): Int = store.all().count(::matches)

    /** Up to [limit] matching rows after [after] (from the start when null). */
    fun page(after: RowPosition?, limit: Int): QueryPage {
        val candidates = if (ordering.isPrimaryIdOrder) idOrdered(after, limit + 1) else sorted(after, limit + 1)
        return QueryPage(candidates.take(limit), candidates.size > limit)
    }

    private fun matches(record: StoredRecord): Boolean {
        RequestDeadline.check()
        return filter?.invoke(record) ?: true
    }

    private fun idOrdered(after: RowPosition?, count: Int): List<StoredRecord> {
        val source = if (after == null) store.all() else store.after(after.id)
        return source.asSequence().filter(::matches).take(count).toList()
    }

    /** The first [count] rows in [ordering] after [after], keeping only [count] rows in memory at a time. */
    private fun sorted(after: RowPosition?, count: Int): List<StoredRecord> {
        if (count <= 0) return emptyList()
        val largestFirst = PriorityQueue(count + 1, ordering.reversed())
        for (record in store.all()) {
            if (!matches(record) || (after != null && !ordering.isAfter(record, after))) continue
            largestFirst.add(record)
            if (largestFirst.size > count) largestFirst.poll()
        }
        return largestFirst.sortedWith(ordering)
    }
}
