package dev.dataverse.spark.internal

import dev.dataverse.Filter
import org.apache.spark.SparkContext
import org.apache.spark.sql.connector.read.Batch
import org.apache.spark.sql.connector.read.InputPartition
import org.apache.spark.sql.connector.read.PartitionReaderFactory
import org.apache.spark.sql.connector.read.Scan
import org.apache.spark.sql.types.StructType

/** A planned read: the pruned schema, the pushed filters, and one range of the table per partition. */
internal class DataverseScan(
    private val schema: StructType,
    private val bindings: List<ColumnBinding>,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
    private val pushed: List<Filter>,
) : Scan, Batch {
    override fun readSchema(): StructType = schema

    override fun description(): String =
        "Dataverse ${options.table}: select=${select()}, filter=${baseFilter()?.toODataString()}, partitions=${partitionFilters().size}"

    override fun toBatch(): Batch = this

    override fun planInputPartitions(): Array<InputPartition> {
        val base = baseFilter()
        val users = options.connection.credentials.users
        return partitionFilters().mapIndexed { index, range ->
            val filter = listOfNotNull(base, range).takeIf { it.isNotEmpty() }?.let { Filter.all(*it.toTypedArray()) }
            ReadPartition(index, filter?.toODataString(), Budget.userOf(index, users))
        }.toTypedArray()
    }

    override fun createReaderFactory(): PartitionReaderFactory = ReaderFactory(
        ReadSpec(options.connection, options.table, schema, bindings, select(), options.pageSize, bindings.any { it.needsAnnotations }),
    )

    /** The properties to `$select`: each binding's wire name once; the primary id when Spark needs no column (a count). */
    private fun select(): List<String> = bindings.map { it.wireName }.distinct().ifEmpty { listOf(metadata.primaryId) }

    /** The user's `filter` option and the pushed filters, all of which every partition applies. */
    private fun baseFilter(): Filter? {
        val parts = listOfNotNull(options.filter?.let { Filter.raw(it) }) + pushed
        return if (parts.isEmpty()) null else Filter.all(*parts.toTypedArray())
    }

    private fun partitionFilters(): List<Filter?> {
        val slots = SparkContext.getOrCreate().defaultParallelism()
        val count = Budget.readPartitions(options.partitions, slots, options.maxConcurrency)
        return PartitionPlanning.plan(count, options.range, metadata.primaryId, metadata.columns)
    }
}
