package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import java.math.BigDecimal
import java.math.BigInteger
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.UUID

/**
 * Formats values as OData literals for `$filter` expressions and key segments: strings single-quoted with embedded quotes
 * doubled, numbers in plain notation, GUIDs bare, date-times in UTC ISO-8601. The result still needs percent-encoding for
 * its place in the URL (see [UrlEncoding]).
 */
internal object ODataLiterals {
    // Always with seconds and in UTC: 2024-05-31T08:00:00Z, fractions only when present.
    private val DATE_TIME: DateTimeFormatter = DateTimeFormatter.ISO_INSTANT

    fun format(value: Any?): String = when (value) {
        null -> "null"
        is String -> quote(value)
        is Char -> quote(value.toString())
        is Boolean -> value.toString()
        is Int, is Long, is Short, is Byte, is BigInteger -> value.toString()
        is BigDecimal -> value.toPlainString()
        is Double -> finite(value.isFinite(), value).let { plain(BigDecimal.valueOf(value)) }
        is Float -> finite(value.isFinite(), value).let { plain(BigDecimal(value.toString())) }
        is UUID -> value.toString()
        is Instant -> DATE_TIME.format(value)
        is OffsetDateTime -> DATE_TIME.format(value.toInstant())
        is ZonedDateTime -> DATE_TIME.format(value.toInstant())
        is LocalDate -> value.toString()
        is Enum<*> -> unsupported(value, "a literal")
        else -> unsupported(value, "a literal")
    }

    /** Fails with the field named when [value] cannot be formatted; a no-op for supported values. */
    fun requireSupported(value: Any, field: String) {
        try {
            format(value)
        } catch (e: InvalidInputException) {
            throw InvalidInputException("Invalid value for $field: ${e.message}", e)
        }
    }

    private fun plain(value: BigDecimal): String = value.stripTrailingZeros().toPlainString()

    /** A string literal: every character kept, single quotes doubled. */
    fun quote(text: String): String = "'" + requireWellFormed(text).replace("'", "''") + "'"

    /**
     * Rejects text with an unpaired UTF-16 surrogate: it has no UTF-8 form, and encoding it would silently turn it into
     * `?`, so the value sent would differ from the caller's.
     */
    fun requireWellFormed(text: String): String {
        var i = 0
        while (i < text.length) {
            val c = text[i]
            if (Character.isHighSurrogate(c) && i + 1 < text.length && Character.isLowSurrogate(text[i + 1])) {
                i += 2
                continue
            }
            if (Character.isSurrogate(c)) {
                throw InvalidInputException("Text ${Identifiers.quote(text)} contains an unpaired UTF-16 surrogate at index $i.")
            }
            i++
        }
        return text
    }

    private fun finite(finite: Boolean, value: Any) {
        if (!finite) throw InvalidInputException("$value cannot be sent to Dataverse: only finite numbers are supported.")
    }

    private fun unsupported(value: Any, what: String): Nothing = throw InvalidInputException(
        "a ${value.javaClass.name} cannot be used as $what; supported are String, Boolean, whole and decimal numbers, " +
            "UUID, Instant, OffsetDateTime, ZonedDateTime and LocalDate.",
    )
}
