package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.TableType
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation
import org.apache.spark.sql.connector.read.Scan
import org.apache.spark.sql.connector.read.ScanBuilder
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates
import org.apache.spark.sql.connector.read.SupportsPushDownFilters
import org.apache.spark.sql.connector.read.SupportsPushDownLimit
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.sources.Filter as SparkFilter

/**
 * What Spark pushes into a read: column pruning to `$select`, filters to `$filter`, `LIMIT` to `$top`, and simple
 * aggregates to FetchXML aggregate queries. Filters the connector cannot express stay with Spark; text filters are
 * pushed (the service narrows the rows) and also stay with Spark, because the service compares text case-insensitively
 * (see [FilterTranslation]). Spark pushes aggregates only when no filter is left for it to evaluate.
 */
internal class DataverseScanBuilder(
    private val schema: StructType,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
) : ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownFilters, SupportsPushDownLimit, SupportsPushDownAggregates {
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
    private var pushed: List<Pair<SparkFilter, Predicate>> = emptyList()
    private var limit: Int? = null
    private var aggregates: List<AggregateColumn>? = null

    override fun pushFilters(filters: Array<out SparkFilter>): Array<SparkFilter> {
        val byName = bindings.associateBy { it.name }
        val pushedNow = ArrayList<Pair<SparkFilter, Predicate>>()
        val residual = ArrayList<SparkFilter>()
        for (filter in filters) {
            val translated = FilterTranslation.translate(filter, byName)
            if (translated != null) pushedNow += filter to translated.predicate
            if (translated == null || !translated.exact) residual += filter
        }
        pushed = pushedNow
        return residual.toTypedArray()
    }

    override fun pushedFilters(): Array<SparkFilter> = pushed.map { it.first }.toTypedArray()

    override fun pruneColumns(requiredSchema: StructType) {
        required = requiredSchema
    }

    /** Each partition reads at most [limit] rows (`$top`, or the listing stops there); Spark still applies the limit. */
    override fun pushLimit(limit: Int): Boolean {
        if (limit < 1) return false
        this.limit = limit
        return true
    }

    override fun pushAggregation(aggregation: Aggregation): Boolean {
        if (!options.pushDownAggregate) return false
        // The user's filter option is OData text, which FetchXML cannot carry; Learn does not list aggregates among what
        // elastic tables support, so they are left to Spark there.
        if (options.filter != null || metadata.tableType == TableType.ELASTIC) return false
        if (pushed.any { it.second.toFetchXml() == null }) return false
        val planned = AggregatePlanning.plan(aggregation, schema, bindings) ?: return false
        aggregates = planned
        return true
    }

    override fun build(): Scan {
        val base = listOfNotNull(options.filter?.let { Predicate.Raw(it) }) + pushed.map { it.second }
        aggregates?.let { return AggregateScan(options, metadata, it, base) }
        val names = required.fieldNames().toSet()
        return DataverseScan(required, bindings.filter { it.name in names }, options, metadata, base, limit)
    }
}
