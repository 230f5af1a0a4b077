package dev.dataverse.emulator.internal.synthetic

import dev.dataverse.emulator.internal.odata.ComparisonOperator
import dev.dataverse.emulator.internal.odata.FilterExpression
import dev.dataverse.emulator.internal.odata.Literal
import dev.dataverse.emulator.internal.store.GuidOrder
import java.math.BigDecimal

/**
 * The `$filter`s the synthetic table answers without materialising rows: comparisons of the columns whose values grow
 * with the row index (the primary id in GUID text order, `dv_number`, `dv_createdon`), combined with `and`, `or` (when
 * the two sides' rows form one range) and null checks (no column is ever null). Each such filter selects one range of
 * indexes, so partitioned readers (e.g. the Spark connector's range partitions) can be tested on millions of rows.
 * Anything else is `null`: the handler refuses it with a 400 rather than guessing.
 */
internal class SyntheticRanges(private val rows: SyntheticRows) {
    /** Indexes `[first, end)`; `first >= end` selects nothing. */
    data class Range(val first: Long, val end: Long) {
        val isEmpty: Boolean get() = first >= end

        fun intersect(other: Range) = Range(maxOf(first, other.first), minOf(end, other.end))
    }

    private val all = Range(0, rows.count)
    private val none = Range(0, 0)

    /** The range [filter] selects, or `null` when it is not a range filter this table can answer. */
    fun rangeOf(filter: FilterExpression): Range? = when (filter) {
        is FilterExpression.And -> rangeOf(filter.left)?.let { left -> rangeOf(filter.right)?.let { left.intersect(it) } }
        is FilterExpression.Or -> rangeOf(filter.left)?.let { left -> rangeOf(filter.right)?.let { union(left, it) } }
        is FilterExpression.Comparison -> comparison(filter)
        else -> null
    }

    private fun union(a: Range, b: Range): Range? = when {
        a.isEmpty -> b
        b.isEmpty -> a
        a.end < b.first || b.end < a.first -> null // two separate ranges: not one page walk
        else -> Range(minOf(a.first, b.first), maxOf(a.end, b.end))
    }

    private fun comparison(filter: FilterExpression.Comparison): Range? {
        if (filter.value == Literal.Null) {
            return when (filter.operator) {
                ComparisonOperator.EQ -> none
                ComparisonOperator.NE -> all
                else -> null
            }.takeIf { filter.property in COLUMNS }
        }
        val compare: ((Long) -> Int) = comparator(filter.property, filter.value) ?: return null
        // Values grow with the index: the first index whose value is >= / > the literal bounds the range.
        val firstAtLeast = firstIndex { compare(it) >= 0 }
        val firstAbove = firstIndex { compare(it) > 0 }
        return when (filter.operator) {
            ComparisonOperator.EQ -> Range(firstAtLeast, firstAbove)
            ComparisonOperator.GE -> Range(firstAtLeast, rows.count)
            ComparisonOperator.GT -> Range(firstAbove, rows.count)
            ComparisonOperator.LT -> Range(0, firstAtLeast)
            ComparisonOperator.LE -> Range(0, firstAbove)
            ComparisonOperator.NE -> null
        }
    }

    /** Compares row `index`'s value of [column] with [literal] (negative: the row's value is smaller). */
    private fun comparator(column: String, literal: Literal): ((Long) -> Int)? = when {
        column == SyntheticRows.ID && literal is Literal.Guid -> { index -> GuidOrder.compare(rows.idOf(index), literal.value) }
        column == SyntheticRows.NUMBER && rows.count <= Int.MAX_VALUE -> number(literal)?.let { value ->
            { index: Long -> BigDecimal.valueOf(rows.numberOf(index).toLong()).compareTo(value) }
        }
        column == SyntheticRows.CREATED_ON && literal is Literal.DateTime -> { index -> rows.createdOnOf(index).compareTo(literal.value) }
        else -> null
    }

    private fun number(literal: Literal): BigDecimal? = when (literal) {
        is Literal.Integer -> BigDecimal.valueOf(literal.value)
        is Literal.Decimal -> literal.value
        else -> null
    }

    /** The smallest index in `[0, count]` where [predicate] (false then true as the index grows) holds. */
    private inline fun firstIndex(predicate: (Long) -> Boolean): Long {
        var low = 0L
        var high = rows.count
        while (low < high) {
            val middle = (low + high) ushr 1
            if (predicate(middle)) high = middle else low = middle + 1
        }
        return low
    }

    private companion object {
        val COLUMNS = setOf(SyntheticRows.ID, SyntheticRows.NAME, SyntheticRows.NUMBER, SyntheticRows.AMOUNT, SyntheticRows.CREATED_ON, SyntheticRows.FLAG)
    }
}
