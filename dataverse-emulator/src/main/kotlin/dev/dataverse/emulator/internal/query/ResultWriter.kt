package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.records.ColumnWriter
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.FormattedValues
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.math.BigDecimal
import java.util.Locale

/**
 * A column of a result row: the name it is returned under and the column it reads; [attributeName] (the logical name
 * of an aliased SQL column) is written as its `@OData.Community.Display.V1.AttributeName` annotation.
 */
internal class OutputColumn(val name: String, val column: SourceColumn, val attributeName: String? = null)

/**
 * Writes FetchXML and SQL result rows: plain rows (optionally with the root record's `@odata.etag`, and without null
 * values when [omitNulls], as FetchXML results are) and aggregate rows, each value with the annotations asked for.
 */
internal class ResultWriter(private val values: ColumnWriter, private val omitNulls: Boolean) {

    /** [row] projected onto [columns]. */
    fun row(row: JoinedRow, columns: List<OutputColumn>, etag: Boolean): JsonObject = buildJsonObject {
        if (etag) put("@odata.etag", EntityWriter.etag(row.root.version))
        for (output in columns) {
            val value = output.column.stored(row)
            if (value == null && omitNulls) continue
            values.write(this, output.name, output.column.column, value)
            output.attributeName?.let { put("${output.name}@$ATTRIBUTE_NAME", it) }
        }
    }

    /** [row] of [aggregation]. */
    fun aggregate(row: AggregateRow, aggregation: Aggregation): JsonObject = buildJsonObject {
        for (group in aggregation.groups) {
            val value = row.values[group.name]
            if (value == null && omitNulls) continue
            if (group.dateGrouping == null) {
                values.write(this, group.name, group.column.column, value)
            } else {
                values.writeComputed(this, group.name, value) { value.toString() }
            }
        }
        for (aggregate in aggregation.aggregates) {
            val value = row.values[aggregate.name]
            if (value == null && omitNulls) continue
            values.writeComputed(this, aggregate.name, value) { value?.let { formatted(aggregate, it) } }
        }
    }

    private fun formatted(aggregate: AggregateColumn, value: Any): String? {
        val column = aggregate.column?.column
        return when {
            aggregate.function == AggregateFunction.COUNT || aggregate.function == AggregateFunction.COUNT_COLUMN -> String.format(Locale.US, "%,d", value)
            column == null -> null
            value is BigDecimal && (column.type == ColumnType.INTEGER || column.type == ColumnType.BIG_INT) -> String.format(Locale.US, "%,.2f", value)
            else -> FormattedValues.format(column, value)
        }
    }

    private companion object {
        const val ATTRIBUTE_NAME = "OData.Community.Display.V1.AttributeName"
    }
}
