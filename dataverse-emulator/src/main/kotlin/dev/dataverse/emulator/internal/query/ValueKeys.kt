package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.records.ColumnValues
import java.math.BigDecimal
import java.util.Locale

/** Equality of values as the service's default collation sees it, for joins, grouping and `distinct`. */
internal object ValueKeys {

    /** A key equal for equal values: normalized, text case-insensitively, decimals by value (`1.50` is `1.5`). */
    fun of(stored: Any?): Any? = when (val value = ColumnValues.normalize(stored)) {
        is String -> value.lowercase(Locale.ROOT)
        is BigDecimal -> value.stripTrailingZeros()
        else -> value
    }

    /** The first of each set of [rows] that return the same values in [columns], keeping the rows' order. */
    fun distinct(rows: List<PositionedRow>, columns: List<OutputColumn>): List<PositionedRow> {
        val seen = HashSet<List<Any?>>()
        return rows.filter { row -> seen.add(columns.map { of(it.column.stored(row.row)) }) }
    }
}
