package dev.dataverse.spark.internal

import dev.dataverse.DataverseRecord
import dev.dataverse.ListOptions
import dev.dataverse.PageCursor
import org.apache.spark.sql.connector.metric.CustomTaskMetric
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.connector.read.InputPartition
import org.apache.spark.sql.connector.read.PartitionReader
import org.apache.spark.sql.connector.read.PartitionReaderFactory
import org.apache.spark.sql.types.StructType
import java.io.Serializable

/** One read task: its condition (the query's filters and its range) and the application user it reads as. */
internal data class ReadPartition(val index: Int, val filter: Predicate?, val user: Int) : InputPartition

/** What every read task of a query shares; options only, never a client. */
internal data class ReadSpec(
    val connection: Connection,
    val table: String,
    val schema: StructType,
    val bindings: List<ColumnBinding>,
    val select: List<String>,
    val pageSize: Int,
    val annotations: Boolean,
    /** The most rows each partition reads (a pushed `LIMIT`), or `null`. */
    val limit: Int? = null,
) : Serializable

internal class ReaderFactory(private val spec: ReadSpec) : PartitionReaderFactory {
    override fun createReader(partition: InputPartition): PartitionReader<InternalRow> = RangeReader(spec, partition as ReadPartition)
}

/**
 * Reads one partition page by page: the next page is requested only when the rows of the current one are used up, so a
 * task holds one page in memory and has at most one request in flight. The executor's shared client is released on
 * [close], which Spark calls when the task ends, failed or not.
 */
internal class RangeReader(private val spec: ReadSpec, private val partition: ReadPartition) : PartitionReader<InternalRow> {
    private val converter = RecordToRow(spec.schema, spec.bindings)
    private val metrics = TaskMetrics()
    private val cursor: PageCursor = ClientCache.acquire(spec.connection, partition.user).let { client ->
        try {
            metrics.around {
                client.records.pager(
                    spec.table,
                    ListOptions(
                        select = spec.select,
                        filter = partition.filter?.toFilter(),
                        top = spec.limit,
                        pageSize = spec.pageSize,
                        includeAnnotations = spec.annotations,
                    ),
                ).cursor()
            }
        } catch (e: RuntimeException) {
            ClientCache.release(spec.connection, partition.user)
            throw e
        }
    }
    private var page: List<DataverseRecord> = emptyList()
    private var position = 0
    private var current: InternalRow? = null
    private var released = false

    override fun next(): Boolean {
        while (position >= page.size) {
            if (!cursor.hasNext) return false
            page = metrics.call { cursor.next() }.records
            position = 0
        }
        current = converter.convert(page[position++])
        return true
    }

    override fun get(): InternalRow = checkNotNull(current) { "next() was not called" }

    override fun currentMetricsValues(): Array<CustomTaskMetric> = metrics.values()

    override fun close() {
        if (!released) {
            released = true
            // A task stopped before the last page (a limit, a failure) ends the listing's operation here.
            cursor.close()
            ClientCache.release(spec.connection, partition.user)
        }
    }
}
