package dev.dataverse.spark.internal

import org.apache.spark.SparkContext
import org.apache.spark.sql.connector.metric.CustomMetric
import org.apache.spark.sql.connector.read.Batch
import org.apache.spark.sql.connector.read.InputPartition
import org.apache.spark.sql.connector.read.PartitionReaderFactory
import org.apache.spark.sql.connector.read.Scan
import org.apache.spark.sql.types.StructType

/** A planned read: the pruned schema, the pushed filters and limit, and one range of the table per partition. */
internal class DataverseScan(
    private val schema: StructType,
    private val bindings: List<ColumnBinding>,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
    /** The user's `filter` option and the pushed filters, all of which every partition applies. */
    private val base: List<Predicate>,
    private val limit: Int?,
) : Scan, Batch {
    override fun readSchema(): StructType = schema

    override fun description(): String =
        "Dataverse ${options.table}: select=${select()}, filter=${Predicate.all(base)?.toFilter()?.toODataString()}" +
            (limit?.let { ", top=$it" } ?: "") + ", partitions=${ranges().size}"

    override fun toBatch(): Batch = this

    override fun planInputPartitions(): Array<InputPartition> {
        val users = options.connection.credentials.users
        return ranges().mapIndexed { index, range ->
            ReadPartition(index, Predicate.all(base + listOfNotNull(range.predicate)), Budget.userOf(index, users))
        }.toTypedArray()
    }

    override fun createReaderFactory(): PartitionReaderFactory = ReaderFactory(
        ReadSpec(options.connection, options.table, schema, bindings, select(), options.pageSize, bindings.any { it.needsAnnotations }, limit),
    )

    override fun supportedCustomMetrics(): Array<CustomMetric> = ConnectorMetrics.READ

    /** The properties to `$select`: each binding's wire name once; the primary id when Spark needs no column (a count). */
    private fun select(): List<String> = bindings.map { it.wireName }.distinct().ifEmpty { listOf(metadata.primaryId) }

    /**
     * One range per partition. A limit that one page holds is read by one partition, in one request, unless the user
     * asked for a number of partitions.
     */
    private fun ranges(): List<ScanRange> {
        val slots = SparkContext.getOrCreate().defaultParallelism()
        val single = limit != null && limit <= options.pageSize && options.partitions == null
        val count = if (single) 1 else Budget.readPartitions(options.partitions, slots, options.maxConcurrency)
        return PartitionPlanning.ranges(count, options.range, metadata.primaryId, metadata.columns)
    }
}
