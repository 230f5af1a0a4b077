package dev.dataverse.emulator.internal.odata

import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeParseException
import java.util.Locale
import java.util.UUID

/**
 * Reads values written as text — FetchXML condition values, SQL string literals, the `PropertyValues` of query functions —
 * as the normalized value of a [ValueKind]. Dates and times without an offset are taken as UTC.
 */
internal object TextValues {
    private val GUID = Regex("\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})}?")
    private val DATE_PREFIX = Regex("\\d{4}-\\d{2}-\\d{2}(T.*)?")

    /** [text] as a normalized value of [kind], or null when it is not one. */
    fun parse(kind: ValueKind, text: String): Any? {
        val trimmed = text.trim()
        return when (kind) {
            ValueKind.STRING -> text
            ValueKind.INT32, ValueKind.INT64 -> trimmed.toLongOrNull()
            ValueKind.DECIMAL -> trimmed.toBigDecimalOrNull()
            ValueKind.BOOLEAN -> when (trimmed.lowercase(Locale.ROOT)) {
                "1", "true" -> true
                "0", "false" -> false
                else -> null
            }
            ValueKind.GUID -> GUID.matchEntire(trimmed)?.let { UUID.fromString(it.groupValues[1]).toString() }
            ValueKind.DATE_TIME -> instant(trimmed)
            ValueKind.DATE -> if (DATE_PREFIX.matches(trimmed)) orNull { LocalDate.parse(trimmed.substring(0, DATE_LENGTH)) } else null
        }
    }

    private fun instant(text: String): Instant? =
        orNull { OffsetDateTime.parse(text).toInstant() }
            ?: orNull { LocalDateTime.parse(text).toInstant(ZoneOffset.UTC) }
            ?: orNull { LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() }

    private fun <T> orNull(parse: () -> T): T? = try {
        parse()
    } catch (e: DateTimeParseException) {
        null
    }

    private const val DATE_LENGTH = 10
}
