package dev.dataverse.spark.internal

import java.io.Serializable
import java.math.BigDecimal
import java.math.RoundingMode
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/**
 * The rows of one read partition, as a condition on one column ([predicate]; `null`: every row), and how to cut it in
 * narrower ranges whose union it is ([split]): an aggregate over more records than the service evaluates in one query
 * is computed over the parts (Learn, "Aggregate data using FetchXml", Limitations: "add appropriate filters ... run your
 * query multiple times and combine the results"). Pure and serializable: partitions carry their range.
 */
internal sealed class ScanRange : Serializable {
    /** The condition selecting this range's rows; `null` for all rows. */
    abstract val predicate: Predicate?

    /** Narrower ranges, disjoint, whose union is this range; empty when it cannot be cut further. */
    abstract fun split(): List<ScanRange>
}

/**
 * Primary ids between two boundaries of [PartitionPlanning]'s GUID scale: [from] and [to] are 16-bit values (0 and
 * [STEPS] leave that side open), each standing for the GUID made of it repeated, which orders the same way in SQL
 * Server's GUID order and in text order.
 */
internal data class IdRange(val column: String, val from: Int, val to: Int) : ScanRange() {
    override val predicate: Predicate?
        get() = Predicate.all(
            listOfNotNull(
                if (from > 0) Predicate.Compare(column, Predicate.Op.GE, guid(from)) else null,
                if (to < STEPS) Predicate.Compare(column, Predicate.Op.LT, guid(to)) else null,
            ),
        )

    override fun split(): List<ScanRange> {
        if (to - from < 2) return emptyList()
        val middle = (from + to) ushr 1
        return listOf(copy(to = middle), copy(from = middle))
    }

    companion object {
        const val STEPS = 65_536

        /** The GUID of 16-bit value [step]: `vvvvvvvv-vvvv-vvvv-vvvv-vvvvvvvvvvvv`. */
        fun guid(step: Int): UUID {
            val group = String.format("%04x", step)
            return UUID.fromString("$group$group-$group-$group-$group-$group$group$group")
        }
    }
}

/** How the values of a range column are counted: as numbers, epoch seconds or epoch days. */
internal enum class ValueSpace {
    WHOLE, DECIMAL, INSTANT, DATE;

    /** The literal of [position] for a filter on the column. */
    fun value(position: BigDecimal): Any = when (this) {
        WHOLE -> position.toLong()
        DECIMAL -> position.stripTrailingZeros().let { if (it.scale() < 0) it.setScale(0) else it }
        INSTANT -> Instant.ofEpochSecond(position.toLong())
        DATE -> LocalDate.ofEpochDay(position.toLong())
    }

    /** A position strictly between [low] and [high], or `null` when none can be told apart from them. */
    fun between(low: BigDecimal, high: BigDecimal): BigDecimal? {
        val middle = (low + high).divide(TWO, if (this == DECIMAL) MIDDLE_SCALE else 0, RoundingMode.FLOOR)
        return middle.takeIf { it > low && it < high }
    }

    private companion object {
        val TWO: BigDecimal = BigDecimal.valueOf(2)
        const val MIDDLE_SCALE = 10
    }
}

/**
 * Values of a range column in `[low, high)` (a `null` bound leaves that side open), plus the rows without a value when
 * [nulls]. An open side is cut at the user's bound ([floor] below, [ceiling] above), beyond which nothing is known of the
 * values: what lies outside the bounds is one range that cannot be split.
 */
internal data class ValueRange(
    val column: String,
    val space: ValueSpace,
    val low: BigDecimal?,
    val high: BigDecimal?,
    val nulls: Boolean,
    val floor: BigDecimal?,
    val ceiling: BigDecimal?,
) : ScanRange() {
    override val predicate: Predicate?
        get() {
            val bounded = Predicate.all(
                listOfNotNull(
                    low?.let { Predicate.Compare(column, Predicate.Op.GE, space.value(it)) },
                    high?.let { Predicate.Compare(column, Predicate.Op.LT, space.value(it)) },
                ),
            )
            return when {
                !nulls -> bounded
                bounded == null -> null
                else -> Predicate.AnyOf(listOf(bounded, Predicate.IsNull(column)))
            }
        }

    override fun split(): List<ScanRange> {
        if (nulls) return listOf(NullRange(column), copy(nulls = false))
        val floor = floor?.takeIf { low == null && (high == null || it < high) }
        if (floor != null) return listOf(copy(high = floor, floor = null, ceiling = null), copy(low = floor, floor = null))
        val ceiling = ceiling?.takeIf { high == null && (low == null || it > low) }
        if (ceiling != null) return listOf(copy(high = ceiling, ceiling = null, floor = null), copy(low = ceiling, floor = null, ceiling = null))
        if (low == null || high == null) return emptyList()
        val middle = space.between(low, high) ?: return emptyList()
        return listOf(copy(high = middle), copy(low = middle))
    }
}

/** The rows whose range column has no value. */
internal data class NullRange(val column: String) : ScanRange() {
    override val predicate: Predicate get() = Predicate.IsNull(column)

    override fun split(): List<ScanRange> = emptyList()
}
