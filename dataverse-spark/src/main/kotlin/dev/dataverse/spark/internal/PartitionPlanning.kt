package dev.dataverse.spark.internal

import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnType
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import java.math.BigDecimal
import java.math.RoundingMode
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeParseException
import java.util.UUID

/**
 * Splits a table into disjoint read ranges whose union is every row: each partition gets one `$filter` range, the
 * first one open below (and taking the nulls), the last one open above. Pure.
 *
 * Without a partition column, ranges of the primary id. Dataverse compares `uniqueidentifier`s as SQL Server does —
 * bytes 10–15 first, then 8–9, 6–7, 4–5, 0–3 — while other stores (the emulator among them) compare GUIDs as their text.
 * Boundaries whose 16-bit groups all repeat one value (`4000 4000-4000-4000-4000-4000 4000 4000`) grow in both orders
 * at once, so the ranges are disjoint and complete whichever order the service uses; rows spread evenly over them when
 * ids are random in the order's most significant bytes.
 */
internal object PartitionPlanning {
    /** The `$filter` of each partition (`null`: no range, a single partition reads everything). */
    fun plan(partitions: Int, range: RangeSpec?, primaryId: String, columns: List<ColumnInfo>): List<Filter?> {
        if (range == null) return if (partitions <= 1) listOf(null) else ranges(primaryId, guidBoundaries(partitions))
        val column = columns.firstOrNull { it.logicalName.equals(range.column, ignoreCase = true) }
            ?: throw InvalidInputException("The partition column '${range.column}' is not a column of the table.")
        val boundaries: List<Any> = when (column.type) {
            ColumnType.INTEGER, ColumnType.BIG_INT -> wholeBoundaries(number(range.lower, range), number(range.upper, range), partitions)
            ColumnType.DECIMAL, ColumnType.MONEY, ColumnType.DOUBLE ->
                decimalBoundaries(number(range.lower, range), number(range.upper, range), partitions)
            ColumnType.DATE_TIME -> instantBoundaries(instant(range.lower, range), instant(range.upper, range), partitions)
            ColumnType.DATE_ONLY -> dateBoundaries(date(range.lower, range), date(range.upper, range), partitions)
            else -> throw InvalidInputException(
                "The partition column '${range.column}' is ${column.type}: partition by a whole-number, decimal or date column.",
            )
        }
        return ranges(column.logicalName, boundaries)
    }

    /** `[.., b1)`, `[b1, b2)`, ..., `[bn, ..]`; the first takes the nulls as well. */
    fun ranges(column: String, boundaries: List<Any>): List<Filter?> {
        if (boundaries.isEmpty()) return listOf(null)
        val first = Filter.lt(column, boundaries.first()) or Filter.isNull(column)
        val middle = boundaries.zipWithNext { low, high -> Filter.ge(column, low) and Filter.lt(column, high) }
        return listOf(first) + middle + Filter.ge(column, boundaries.last())
    }

    /** `partitions - 1` GUIDs, each made of one 16-bit value repeated, evenly spaced. */
    fun guidBoundaries(partitions: Int): List<UUID> {
        val count = partitions.coerceAtMost(GUID_STEPS)
        return (1 until count).map { i ->
            val value = (i.toLong() * GUID_STEPS / count)
            val group = String.format("%04x", value)
            UUID.fromString("$group$group-$group-$group-$group-$group$group$group")
        }.distinct()
    }

    fun wholeBoundaries(lower: BigDecimal, upper: BigDecimal, partitions: Int): List<Long> {
        val low = lower.setScale(0, RoundingMode.FLOOR).toLong()
        val high = upper.setScale(0, RoundingMode.CEILING).toLong()
        requireOrdered(low < high, lower, upper)
        val span = high - low
        val count = partitions.toLong().coerceAtMost(span).toInt()
        return (1 until count).map { low + span * it / count }.distinct()
    }

    fun decimalBoundaries(lower: BigDecimal, upper: BigDecimal, partitions: Int): List<BigDecimal> {
        requireOrdered(lower < upper, lower, upper)
        val step = (upper - lower).divide(BigDecimal(partitions), 10, RoundingMode.DOWN)
        return (1 until partitions).map { (lower + step * BigDecimal(it)).stripTrailingZeros() }.distinct()
    }

    fun instantBoundaries(lower: Instant, upper: Instant, partitions: Int): List<Instant> =
        wholeBoundaries(BigDecimal(lower.epochSecond), BigDecimal(upper.epochSecond), partitions).map { Instant.ofEpochSecond(it) }

    fun dateBoundaries(lower: LocalDate, upper: LocalDate, partitions: Int): List<LocalDate> =
        wholeBoundaries(BigDecimal(lower.toEpochDay()), BigDecimal(upper.toEpochDay()), partitions).map { LocalDate.ofEpochDay(it) }

    private fun requireOrdered(ordered: Boolean, lower: Any, upper: Any) {
        if (!ordered) throw InvalidInputException("The 'lowerBound' ($lower) must be below the 'upperBound' ($upper).")
    }

    private fun number(text: String, range: RangeSpec): BigDecimal =
        text.toBigDecimalOrNull() ?: throw InvalidInputException("The bounds of partition column '${range.column}' must be numbers, but one was '$text'.")

    private fun instant(text: String, range: RangeSpec): Instant = try {
        if (text.length == DATE_LENGTH) LocalDate.parse(text).atStartOfDay().toInstant(java.time.ZoneOffset.UTC) else OffsetDateTime.parse(text).toInstant()
    } catch (e: DateTimeParseException) {
        throw InvalidInputException("The bounds of partition column '${range.column}' must be ISO dates or date-times with offset, but one was '$text'.", e)
    }

    private fun date(text: String, range: RangeSpec): LocalDate = try {
        LocalDate.parse(text.take(DATE_LENGTH))
    } catch (e: DateTimeParseException) {
        throw InvalidInputException("The bounds of partition column '${range.column}' must be ISO dates, but one was '$text'.", e)
    }

    private const val GUID_STEPS = 65_536
    private const val DATE_LENGTH = 10
}
