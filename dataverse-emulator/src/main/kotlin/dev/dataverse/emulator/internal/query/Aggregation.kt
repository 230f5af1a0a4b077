package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.odata.ValueComparison
import dev.dataverse.emulator.internal.records.ColumnValues
import java.math.BigDecimal
import java.math.MathContext
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset

/** The aggregate functions of FetchXML (`aggregate="sum"`) and SQL (`COUNT(*)`). */
internal enum class AggregateFunction(val fetchName: String) {
    /** The number of rows. */
    COUNT("count"),

    /** The number of rows where the column has a value (distinct values when asked). */
    COUNT_COLUMN("countcolumn"),
    SUM("sum"),
    AVG("avg"),
    MIN("min"),
    MAX("max"),
    ;

    companion object {
        fun ofFetchName(name: String): AggregateFunction? = entries.firstOrNull { it.fetchName == name }
    }
}

/** Grouping date-time values by a part of the date (`dategrouping="month"`), in UTC. */
internal enum class DateGrouping(val fetchName: String) {
    YEAR("year"),
    QUARTER("quarter"),
    MONTH("month"),
    DAY("day"),
    ;

    /** The part of [value] (an Instant or a LocalDate) this grouping keeps. */
    fun of(value: Any): Long {
        val date = when (value) {
            is Instant -> value.atOffset(ZoneOffset.UTC).toLocalDate()
            is LocalDate -> value
            else -> throw IllegalStateException("Date grouping of ${value::class}")
        }
        return when (this) {
            YEAR -> date.year
            QUARTER -> (date.monthValue - 1) / MONTHS_PER_QUARTER + 1
            MONTH -> date.monthValue
            DAY -> date.dayOfMonth
        }.toLong()
    }

    companion object {
        private const val MONTHS_PER_QUARTER = 3

        fun ofFetchName(name: String): DateGrouping? = entries.firstOrNull { it.fetchName == name }
    }
}

/** A column the rows are grouped by, returned as [name]. */
internal class GroupColumn(val name: String, val column: SourceColumn, val dateGrouping: DateGrouping?) {
    /** The value of [row] this column returns: the stored value, or the date part. */
    fun output(row: JoinedRow): Any? = if (dateGrouping == null) column.stored(row) else column.read(row)?.let(dateGrouping::of)

    /** The grouping key of [row]: text case-insensitively, as the service's collation groups. */
    fun key(row: JoinedRow): Any? = ValueKeys.of(output(row))
}

/** An aggregate returned as [name]; [column] is null only for [AggregateFunction.COUNT]. */
internal class AggregateColumn(val name: String, val function: AggregateFunction, val column: SourceColumn?, val distinct: Boolean) {

    /** The aggregate over [rows]: a Long count, a sum (Long or BigDecimal), a BigDecimal average, or a stored minimum/maximum; null when there are no values. */
    fun compute(rows: List<JoinedRow>): Any? {
        if (function == AggregateFunction.COUNT) return rows.size.toLong()
        val column = column!!
        val stored = rows.mapNotNull { column.stored(it) }
        return when (function) {
            AggregateFunction.COUNT -> rows.size.toLong()
            AggregateFunction.COUNT_COLUMN -> countOf(stored)
            AggregateFunction.SUM -> sum(stored.map { ColumnValues.normalize(it)!! })
            AggregateFunction.AVG -> average(stored.map { ColumnValues.normalize(it)!! })
            AggregateFunction.MIN -> stored.minWithOrNull { a, b -> ValueComparison.compare(ColumnValues.normalize(a)!!, ColumnValues.normalize(b)!!) }
            AggregateFunction.MAX -> stored.maxWithOrNull { a, b -> ValueComparison.compare(ColumnValues.normalize(a)!!, ColumnValues.normalize(b)!!) }
        }
    }

    private fun countOf(stored: List<Any>): Long {
        if (!distinct) return stored.size.toLong()
        return stored.map(ValueKeys::of).distinct().size.toLong()
    }

    private fun sum(values: List<Any>): Any? = when {
        values.isEmpty() -> null
        values.all { it is Long } -> values.sumOf { it as Long }
        else -> values.fold(BigDecimal.ZERO) { total, value -> total + decimal(value) }
    }

    private fun average(values: List<Any>): BigDecimal? {
        if (values.isEmpty()) return null
        val total = values.fold(BigDecimal.ZERO) { sum, value -> sum + decimal(value) }
        return total.divide(BigDecimal.valueOf(values.size.toLong()), MathContext.DECIMAL64).stripTrailingZeros().let {
            if (it.scale() < 0) it.setScale(0) else it
        }
    }

    private fun decimal(value: Any): BigDecimal = if (value is Long) BigDecimal.valueOf(value) else value as BigDecimal
}

/** One group of an aggregate query: its values (stored form for group columns) by output name. */
internal class AggregateRow(val values: Map<String, Any?>)

/** An order of aggregate results by one output [name]. */
internal class GroupOrder(val name: String, val descending: Boolean)

/**
 * Groups rows by [groups] and computes [aggregates] per group. Without group columns there is exactly one result row,
 * even over no rows (a count of 0). Results are ordered by [orders], then by the group values ascending.
 */
internal class Aggregation(val groups: List<GroupColumn>, val aggregates: List<AggregateColumn>, val orders: List<GroupOrder>) {

    /** The result rows for [rows]. */
    fun run(rows: List<JoinedRow>): List<AggregateRow> {
        val grouped = LinkedHashMap<List<Any?>, MutableList<JoinedRow>>()
        for (row in rows) grouped.getOrPut(groups.map { it.key(row) }) { mutableListOf() }.add(row)
        if (groups.isEmpty() && grouped.isEmpty()) grouped[emptyList()] = mutableListOf()
        val results = grouped.values.map { members ->
            val values = LinkedHashMap<String, Any?>()
            groups.forEach { values[it.name] = it.output(members.first()) }
            aggregates.forEach { values[it.name] = it.compute(members) }
            AggregateRow(values)
        }
        return results.sortedWith(comparator())
    }

    private fun comparator(): Comparator<AggregateRow> {
        val keys = orders.map { it.name to it.descending } + groups.map { it.name to false }
        return Comparator { a, b ->
            for ((name, descending) in keys) {
                val order = ValueComparison.compareNullsFirst(ColumnValues.normalize(a.values[name]), ColumnValues.normalize(b.values[name]))
                if (order != 0) return@Comparator if (descending) -order else order
            }
            0
        }
    }
}
