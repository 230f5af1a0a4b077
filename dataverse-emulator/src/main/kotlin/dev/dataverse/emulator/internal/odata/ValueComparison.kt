package dev.dataverse.emulator.internal.odata

import java.math.BigDecimal

/**
 * Compares normalized values (String, Long, BigDecimal, Boolean, Instant, LocalDate) the way the service's
 * default SQL collation does for the cases clients can observe: text is compared case-insensitively, and a whole
 * number compares with a decimal by value (`numberofemployees gt 2.5`).
 */
internal object ValueComparison {

    /** Orders two non-null values of the same kind. */
    @Suppress("UNCHECKED_CAST")
    fun compare(a: Any, b: Any): Int = when {
        a is String && b is String -> a.compareTo(b, ignoreCase = true)
        a is Long && b is BigDecimal -> BigDecimal.valueOf(a).compareTo(b)
        a is BigDecimal && b is Long -> a.compareTo(BigDecimal.valueOf(b))
        else -> (a as Comparable<Any>).compareTo(b)
    }

    /** Orders two possibly-null values with nulls first, as SQL Server sorts ascending. */
    fun compareNullsFirst(a: Any?, b: Any?): Int = when {
        a == null && b == null -> 0
        a == null -> -1
        b == null -> 1
        else -> compare(a, b)
    }
}
