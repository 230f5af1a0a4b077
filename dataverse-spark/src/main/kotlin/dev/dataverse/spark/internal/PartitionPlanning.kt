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
 * Splits a table into disjoint read ranges whose union is every row: each partition gets one range ([ScanRange]), the
 * first one open below (and taking the nulls), the last one open above. A range can be split further, which aggregates
 * need when the service refuses one over too many records. Pure.
 *
 * Without a partition column, ranges of the primary id. Dataverse compares `uniqueidentifier`s as SQL Server does —
 * bytes 10–15 first, then 8–9, 6–7, 4–5, 0–3 — while other stores (the emulator among them) compare GUIDs as their text.
 * Boundaries whose 16-bit groups all repeat one value (`4000 4000-4000-4000-4000-4000 4000 4000`) grow in both orders
 * at once, so the ranges are disjoint and complete whichever order the service uses; rows spread evenly over them when
 * ids are random in the order's most significant bytes.
 */
internal object PartitionPlanning {
    /** The `$filter` of each partition (`null`: no range, a single partition reads everything). */
    fun plan(partitions: Int, range: RangeSpec?, primaryId: String, columns: List<ColumnInfo>): List<Filter?> =
        ranges(partitions, range, primaryId, columns).map { it.predicate?.toFilter() }

    /** The range of each partition: of the primary id, or of [range]'s column between its bounds. */
    fun ranges(partitions: Int, range: RangeSpec?, primaryId: String, columns: List<ColumnInfo>): List<ScanRange> {
        if (range == null) {
            val steps = guidSteps(partitions)
            return (listOf(0) + steps).zip(steps + IdRange.STEPS).map { (from, to) -> IdRange(primaryId, from, to) }
        }
        val column = columns.firstOrNull { it.logicalName.equals(range.column, ignoreCase = true) }
            ?: throw InvalidInputException("The partition column '${range.column}' is not a column of the table.")
        val space = when (column.type) {
            ColumnType.INTEGER, ColumnType.BIG_INT -> ValueSpace.WHOLE
            ColumnType.DECIMAL, ColumnType.MONEY, ColumnType.DOUBLE -> ValueSpace.DECIMAL
            ColumnType.DATE_TIME -> ValueSpace.INSTANT
            ColumnType.DATE_ONLY -> ValueSpace.DATE
            else -> throw InvalidInputException(
                "The partition column '${range.column}' is ${column.type}: partition by a whole-number, decimal or date column.",
            )
        }
        val (lower, upper) = when (space) {
            ValueSpace.WHOLE, ValueSpace.DECIMAL -> number(range.lower, range) to number(range.upper, range)
            ValueSpace.INSTANT -> BigDecimal(instant(range.lower, range).epochSecond) to BigDecimal(instant(range.upper, range).epochSecond)
            ValueSpace.DATE -> BigDecimal(date(range.lower, range).toEpochDay()) to BigDecimal(date(range.upper, range).toEpochDay())
        }
        val boundaries: List<BigDecimal> = when (space) {
            ValueSpace.DECIMAL -> decimalBoundaries(lower, upper, partitions)
            else -> wholeBoundaries(lower, upper, partitions).map { BigDecimal(it) }
        }
        val name = column.logicalName
        if (boundaries.isEmpty()) return listOf(ValueRange(name, space, null, null, nulls = true, floor = lower, ceiling = upper))
        val first = ValueRange(name, space, null, boundaries.first(), nulls = true, floor = lower, ceiling = null)
        val middle = boundaries.zipWithNext { low, high -> ValueRange(name, space, low, high, nulls = false, floor = null, ceiling = null) }
        val last = ValueRange(name, space, boundaries.last(), null, nulls = false, floor = null, ceiling = upper)
        return listOf(first) + middle + last
    }

    /** `partitions - 1` GUIDs, each made of one 16-bit value repeated, evenly spaced. */
    fun guidBoundaries(partitions: Int): List<UUID> = guidSteps(partitions).map(IdRange::guid)

    /** The 16-bit values of [guidBoundaries]. */
    private fun guidSteps(partitions: Int): List<Int> {
        val count = partitions.coerceAtMost(IdRange.STEPS)
        return (1 until count).map { i -> (i.toLong() * IdRange.STEPS / count).toInt() }.distinct()
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

    private const val DATE_LENGTH = 10
}
