package dev.dataverse.spark.internal

import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import org.apache.spark.sql.connector.read.Scan
import org.apache.spark.sql.connector.read.ScanBuilder
import org.apache.spark.sql.connector.read.SupportsPushDownFilters
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.sources.Filter as SparkFilter

/**
 * Column pruning to `$select` and filter pushdown to `$filter`. Filters the typed [Filter] cannot express stay with
 * Spark; text filters are pushed (the service narrows the rows) and also stay with Spark, because the service compares
 * text case-insensitively (see [FilterTranslation]).
 */
internal class DataverseScanBuilder(
    private val schema: StructType,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
) : ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownFilters {
    private val bindings = SchemaMapping.bind(schema, metadata.columns, options.table).also { bound ->
        if (options.select.isNotEmpty()) {
            val outside = bound.filter { it.attribute.lowercase() !in options.select }.map { it.name }
            if (outside.isNotEmpty()) {
                throw InvalidInputException(
                    "The schema names ${outside.joinToString(", ")}, which the 'select' option (${options.select.joinToString(",")}) leaves out: " +
                        "add them to 'select' or drop them from the schema.",
                )
            }
        }
    }
    private var required: StructType = schema
    private var pushed: List<Pair<SparkFilter, Filter>> = emptyList()

    override fun pushFilters(filters: Array<out SparkFilter>): Array<SparkFilter> {
        val byName = bindings.associateBy { it.name }
        val pushedNow = ArrayList<Pair<SparkFilter, Filter>>()
        val residual = ArrayList<SparkFilter>()
        for (filter in filters) {
            val translated = FilterTranslation.translate(filter, byName)
            if (translated != null) pushedNow += filter to translated.filter
            if (translated == null || !translated.exact) residual += filter
        }
        pushed = pushedNow
        return residual.toTypedArray()
    }

    override fun pushedFilters(): Array<SparkFilter> = pushed.map { it.first }.toTypedArray()

    override fun pruneColumns(requiredSchema: StructType) {
        required = requiredSchema
    }

    override fun build(): Scan {
        val names = required.fieldNames().toSet()
        return DataverseScan(required, bindings.filter { it.name in names }, options, metadata, pushed.map { it.second })
    }
}
