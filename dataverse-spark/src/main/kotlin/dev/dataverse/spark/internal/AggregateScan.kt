package dev.dataverse.spark.internal

import dev.dataverse.BadRequestException
import dev.dataverse.DataverseException
import dev.dataverse.ListOptions
import kotlinx.coroutines.flow.toList
import org.apache.spark.SparkContext
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.connector.metric.CustomMetric
import org.apache.spark.sql.connector.metric.CustomTaskMetric
import org.apache.spark.sql.connector.read.Batch
import org.apache.spark.sql.connector.read.InputPartition
import org.apache.spark.sql.connector.read.PartitionReader
import org.apache.spark.sql.connector.read.PartitionReaderFactory
import org.apache.spark.sql.connector.read.Scan
import org.apache.spark.sql.types.Decimal
import org.apache.spark.sql.types.Metadata
import org.apache.spark.sql.types.StructField
import org.apache.spark.sql.types.StructType
import java.io.Serializable

/**
 * The aggregates of one query, computed by the service with FetchXML over each partition's range: one request per range
 * instead of every page of its rows. The service refuses an aggregate over more than 50,000 records (or the
 * `aggregateLimit` option's lower number) with AggregateQueryRecordLimit; such a range is cut in two and each half
 * aggregated, as Learn advises ("Aggregate data using FetchXml", Limitations), down to ranges that cannot be cut, whose
 * rows are then read and aggregated by the connector. Each partition returns one row of partial aggregates, which Spark
 * combines. A table whose aggregate queries the service refuses outright (a 400) is read and aggregated by the
 * connector, with a warning in the log.
 */
internal class AggregateScan(
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
    private val aggregates: List<AggregateColumn>,
    private val base: List<Predicate>,
) : Scan, Batch {
    private val schema = StructType(aggregates.mapIndexed { i, it -> StructField("agg_func_$i", it.outputType, true, Metadata.empty()) }.toTypedArray())

    override fun readSchema(): StructType = schema

    override fun description(): String =
        "Dataverse ${options.table}: aggregates=${aggregates.map { "${it.function.fetchXml}(${it.binding?.attribute ?: "*"})" }}, " +
            "filter=${Predicate.all(base)?.toFilter()?.toODataString()}"

    override fun toBatch(): Batch = this

    override fun planInputPartitions(): Array<InputPartition> {
        val slots = SparkContext.getOrCreate().defaultParallelism()
        val count = Budget.readPartitions(options.partitions, slots, options.maxConcurrency)
        val users = options.connection.credentials.users
        return PartitionPlanning.ranges(count, options.range, metadata.primaryId, metadata.columns)
            .mapIndexed { index, range -> AggregatePartition(index, range, Budget.userOf(index, users)) }.toTypedArray()
    }

    override fun createReaderFactory(): PartitionReaderFactory =
        AggregateReaderFactory(AggregateSpec(options.connection, options.table, metadata.primaryId, aggregates, base, options.pageSize, options.aggregateLimit))

    override fun supportedCustomMetrics(): Array<CustomMetric> = ConnectorMetrics.READ

    override fun columnarSupportMode(): Scan.ColumnarSupportMode = Scan.ColumnarSupportMode.UNSUPPORTED
}

internal data class AggregatePartition(val index: Int, val range: ScanRange, val user: Int) : InputPartition

/** What every aggregate task shares. */
internal data class AggregateSpec(
    val connection: Connection,
    val table: String,
    val primaryId: String,
    val aggregates: List<AggregateColumn>,
    val base: List<Predicate>,
    val pageSize: Int,
    val aggregateLimit: Int?,
) : Serializable {
    /** The FetchXML aggregating [range], or `null` when a condition has no FetchXML form. */
    fun fetchXml(range: ScanRange): String? {
        val condition = Predicate.all(base + listOfNotNull(range.predicate))
        val filter = if (condition == null) "" else (condition.toFetchXml() ?: return null).let { if (it.startsWith("<filter")) it else "<filter>$it</filter>" }
        val attributes = aggregates.mapIndexed { i, column ->
            val name = column.binding?.attribute ?: primaryId
            """<attribute name="${Predicate.xml(name)}" alias="$ALIAS$i" aggregate="${column.function.fetchXml}"/>"""
        }.joinToString("")
        val limit = aggregateLimit?.let { """ aggregatelimit="$it"""" }.orEmpty()
        return """<fetch aggregate="true"$limit><entity name="${Predicate.xml(table)}">$attributes$filter</entity></fetch>"""
    }

    companion object {
        const val ALIAS = "agg"
    }
}

internal class AggregateReaderFactory(private val spec: AggregateSpec) : PartitionReaderFactory {
    override fun createReader(partition: InputPartition): PartitionReader<InternalRow> = AggregateReader(spec, partition as AggregatePartition)
}

/** Computes one partition's aggregates, as one row; see [AggregateScan]. */
internal class AggregateReader(private val spec: AggregateSpec, private val partition: AggregatePartition) : PartitionReader<InternalRow> {
    private val metrics = TaskMetrics()
    private val log = org.slf4j.LoggerFactory.getLogger(AggregateReader::class.java)
    private var done = false
    private var row: InternalRow? = null

    override fun next(): Boolean {
        if (done) return false
        done = true
        row = ClientCache.use(spec.connection, partition.user) { client -> GenericInternalRow(aggregate(client, partition.range).toTypedArray()) }
        return true
    }

    override fun get(): InternalRow = checkNotNull(row) { "next() was not called" }

    override fun currentMetricsValues(): Array<CustomTaskMetric> = metrics.values()

    override fun close() = Unit

    /** Whether the service refused this partition's aggregate query outright: its ranges are then read, not aggregated. */
    private var refused = false

    private fun aggregate(client: dev.dataverse.DataverseClient, range: ScanRange): List<Any?> {
        val xml = spec.fetchXml(range)?.takeUnless { refused } ?: return byRows(client, range)
        return try {
            val record = metrics.call { client.query.fetchXml(xml).toList() }.singleOrNull()
            val values = record?.let { reader.convert(it) }
            spec.aggregates.indices.map { i -> values?.let { if (it.isNullAt(i)) null else it.get(i, outputSchema.fields()[i].dataType()) } ?: empty(i) }
        } catch (e: DataverseException) {
            when {
                e.errorCode.equals(AGGREGATE_LIMIT, ignoreCase = true) -> {
                    val parts = range.split()
                    if (parts.isEmpty()) byRows(client, range) else parts.map { aggregate(client, it) }.reduce(::merge)
                }
                // Aggregates are a shortcut, never a requirement: a table whose aggregate FetchXML the service refuses with a
                // 400 is read instead. Which tables of the service do that is not documented (a guess: virtual tables, whose
                // data providers need not implement aggregates); the emulator's generated table does.
                e is BadRequestException -> {
                    refused = true
                    log.warn("The service refused an aggregate query on {} ({}); the partition's rows are read instead", spec.table, e.message)
                    byRows(client, range)
                }
                else -> throw e
            }
        }
    }

    /** The aggregates of [range] computed from its rows, paged with only the columns aggregated. */
    private fun byRows(client: dev.dataverse.DataverseClient, range: ScanRange): List<Any?> {
        val bindings = spec.aggregates.mapNotNull { it.binding }.distinctBy { it.name }
        val schema = StructType(bindings.map { binding -> StructField(binding.name, spec.aggregates.first { it.binding == binding }.inputType!!, true, Metadata.empty()) }.toTypedArray())
        val converter = RecordToRow(schema, bindings)
        val positions = spec.aggregates.map { column -> column.binding?.let(bindings::indexOf) }
        var partial: List<Any?> = spec.aggregates.indices.map(::empty)
        val options = ListOptions(
            select = bindings.map { it.wireName }.distinct().ifEmpty { listOf(spec.primaryId) },
            filter = Predicate.all(spec.base + listOfNotNull(range.predicate))?.toFilter(),
            pageSize = spec.pageSize,
        )
        metrics.call {
            client.records.list(spec.table, options).collect { record ->
                val values = converter.convert(record)
                partial = partial.mapIndexed { i, acc ->
                    val column = spec.aggregates[i]
                    val position = positions[i]
                    val value = position?.let { if (values.isNullAt(it)) null else values.get(it, schema.fields()[it].dataType()) }
                    when (column.function) {
                        AggregateColumn.Function.COUNT_ROWS -> (acc as Long) + 1
                        AggregateColumn.Function.COUNT_VALUES -> (acc as Long) + (if (value == null) 0 else 1)
                        else -> combine(column.function, acc, value?.let { widen(column, it) })
                    }
                }
            }
        }
        return partial
    }

    private val outputSchema = StructType(spec.aggregates.mapIndexed { i, it -> StructField("$ALIAS$i", it.outputType, true, Metadata.empty()) }.toTypedArray())
    private val reader = RecordToRow(
        outputSchema,
        spec.aggregates.mapIndexed { i, column ->
            val type = if (column.function == AggregateColumn.Function.COUNT_ROWS || column.function == AggregateColumn.Function.COUNT_VALUES) {
                dev.dataverse.ColumnType.BIG_INT
            } else {
                column.binding!!.type
            }
            ColumnBinding("$ALIAS$i", "$ALIAS$i", type, BindingKind.VALUE)
        },
    )

    private fun empty(i: Int): Any? = when (spec.aggregates[i].function) {
        AggregateColumn.Function.COUNT_ROWS, AggregateColumn.Function.COUNT_VALUES -> 0L
        else -> null
    }

    private fun merge(a: List<Any?>, b: List<Any?>): List<Any?> = a.indices.map { i ->
        val function = spec.aggregates[i].function
        if (function == AggregateColumn.Function.COUNT_ROWS || function == AggregateColumn.Function.COUNT_VALUES) (a[i] as Long) + (b[i] as Long) else combine(function, a[i], b[i])
    }

    /** A column value in the sum's type (long for whole numbers, the wider decimal); as read for min and max. */
    private fun widen(column: AggregateColumn, value: Any): Any = when {
        column.function != AggregateColumn.Function.SUM -> value
        value is Int -> value.toLong()
        value is Short -> value.toLong()
        value is Byte -> value.toLong()
        value is Decimal -> value.clone().also { it.changePrecision((column.outputType as org.apache.spark.sql.types.DecimalType).precision(), column.outputType.scale()) }
        else -> value
    }

    @Suppress("UNCHECKED_CAST")
    private fun combine(function: AggregateColumn.Function, a: Any?, b: Any?): Any? {
        if (a == null) return b
        if (b == null) return a
        return when (function) {
            AggregateColumn.Function.SUM -> when (a) {
                is Long -> a + (b as Long)
                is Double -> a + (b as Double)
                is Decimal -> a.`$plus`(b as Decimal)
                else -> throw IllegalStateException("sum of ${a.javaClass}")
            }
            AggregateColumn.Function.MIN -> if ((a as Comparable<Any>) <= b) a else b
            AggregateColumn.Function.MAX -> if ((a as Comparable<Any>) >= b) a else b
            else -> throw IllegalStateException("$function is not combined here")
        }
    }

    private companion object {
        /** AggregateQueryRecordLimit (Learn, "Aggregate data using FetchXml", Limitations). */
        const val AGGREGATE_LIMIT = "0x8004E023"
        const val ALIAS = AggregateSpec.ALIAS
    }
}
