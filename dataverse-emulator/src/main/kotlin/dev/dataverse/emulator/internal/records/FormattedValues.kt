package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Locale

/**
 * The `OData.Community.Display.V1.FormattedValue` annotation text of column values, as an English (US)
 * user in UTC sees them: option labels, `Yes`/`No`, `$1,234.50`, `1,234`, `1/2/2024 3:04 AM`.
 */
internal object FormattedValues {
    /** The annotation name. */
    const val ANNOTATION: String = "OData.Community.Display.V1.FormattedValue"

    private val dateTimeFormat = DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US).withZone(ZoneOffset.UTC)
    private val dateFormat = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US)

    /** The display text of [value] in [column], or null when the service shows none (text, GUIDs, lookups). */
    fun format(column: ColumnDefinition, value: Any): String? = when (column.type) {
        ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS -> column.option(value as Int)?.label
        ColumnType.BOOLEAN -> column.option(if (value as Boolean) 1 else 0)?.label
        ColumnType.INTEGER -> String.format(Locale.US, "%,d", value)
        ColumnType.MONEY -> money(value as BigDecimal, column.precision ?: 2)
        ColumnType.MULTI_SELECT_PICKLIST ->
            ColumnValues.multiSelectValues(value as String).mapNotNull { column.option(it)?.label }.joinToString("; ")
        ColumnType.DECIMAL, ColumnType.DOUBLE -> String.format(Locale.US, "%,.${column.precision ?: 2}f", value)
        ColumnType.DATE_TIME -> dateTimeFormat.format(value as Instant)
        ColumnType.DATE_ONLY -> dateFormat.format(value as LocalDate)
        else -> null
    }

    private fun money(value: BigDecimal, precision: Int): String {
        val digits = String.format(Locale.US, "%,.${precision}f", value.abs())
        return if (value.signum() < 0) "-\$$digits" else "\$$digits"
    }
}
