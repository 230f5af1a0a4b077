package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.store.LookupValue
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** Stored values as search compares them for ordering and range facets: numbers, instants, then text. */
internal object SearchValues {
    /** [value] as a comparable: BigDecimal for numbers, Instant for dates, lower-case text otherwise; null stays null. */
    fun comparable(value: Any?): Comparable<*>? = when (value) {
        null -> null
        is BigDecimal -> value
        is Number -> BigDecimal(value.toString())
        is Instant -> value
        is LocalDate -> value.atStartOfDay().toInstant(ZoneOffset.UTC)
        is Boolean -> if (value) BigDecimal.ONE else BigDecimal.ZERO
        is LookupValue -> value.id.toString()
        else -> value.toString().lowercase()
    }

    /** Orders nulls first, then numbers, instants and text, each by its natural order. */
    @Suppress("UNCHECKED_CAST")
    val ORDER: Comparator<Comparable<*>?> = Comparator { a, b ->
        when {
            a == null && b == null -> 0
            a == null -> -1
            b == null -> 1
            a::class == b::class -> (a as Comparable<Any>).compareTo(b)
            else -> rank(a).compareTo(rank(b))
        }
    }

    private fun rank(value: Any): Int = when (value) {
        is BigDecimal -> 0
        is Instant -> 1
        else -> 2
    }

    /** A facet boundary or filter value as written: a number, or a date or date-time (UTC unless it says otherwise). */
    fun boundary(text: String): Comparable<*>? {
        text.toBigDecimalOrNull()?.let { return it }
        return runCatching { OffsetDateTime.parse(text).toInstant() }.getOrNull()
            ?: runCatching { LocalDateTime.parse(text).toInstant(ZoneOffset.UTC) }.getOrNull()
            ?: runCatching { LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC) }.getOrNull()
    }
}
