package dev.dataverse.emulator.internal.synthetic

import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.records.FormattedValues

/**
 * Writes synthetic rows straight into a [StringBuilder] as the service's entity JSON (`@odata.etag` first, then the
 * projected columns, each preceded by its formatted value when asked for), without building a JSON tree per row:
 * listing is the hot path of streaming benchmarks.
 */
internal class SyntheticJsonWriter(
    private val rows: SyntheticRows,
    private val columns: List<ColumnDefinition>,
    private val formattedValues: Boolean,
) {
    /** Appends row [index] as a JSON object. */
    fun appendRow(out: StringBuilder, index: Long) {
        out.append("{\"@odata.etag\":\"W/\\\"").append(rows.versionOf(index)).append("\\\"\"")
        for (column in columns) {
            if (formattedValues) {
                FormattedValues.format(column, rows.valueOf(column, index))?.let { text ->
                    out.append(",\"").append(column.logicalName).append('@').append(FormattedValues.ANNOTATION).append("\":")
                    appendString(out, text)
                }
            }
            out.append(",\"").append(column.logicalName).append("\":")
            appendValue(out, column, index)
        }
        out.append('}')
    }

    private fun appendValue(out: StringBuilder, column: ColumnDefinition, index: Long) {
        when (column.logicalName) {
            SyntheticRows.ID -> out.append('"').append(rows.idOf(index)).append('"')
            SyntheticRows.NAME -> appendString(out, rows.nameOf(index))
            SyntheticRows.NUMBER -> out.append(rows.numberOf(index))
            SyntheticRows.AMOUNT -> appendCents(out, rows.amountCentsOf(index))
            SyntheticRows.CREATED_ON -> {
                out.append('"')
                IsoInstants.append(out, rows.createdOnOf(index).epochSecond)
                out.append('"')
            }
            SyntheticRows.FLAG -> out.append(rows.flagOf(index))
            else -> throw IllegalArgumentException("The synthetic table has no column ${column.logicalName}")
        }
    }

    private fun appendCents(out: StringBuilder, cents: Long) {
        out.append(cents / CENTS).append('.')
        val fraction = cents % CENTS
        if (fraction < TEN) out.append('0')
        out.append(fraction)
    }

    companion object {
        private const val CENTS = 100
        private const val TEN = 10

        /** Appends [text] as a JSON string literal. */
        fun appendString(out: StringBuilder, text: String) {
            out.append('"')
            for (char in text) {
                when {
                    char == '"' -> out.append("\\\"")
                    char == '\\' -> out.append("\\\\")
                    char < ' ' -> out.append(String.format("\\u%04x", char.code))
                    else -> out.append(char)
                }
            }
            out.append('"')
        }
    }
}
