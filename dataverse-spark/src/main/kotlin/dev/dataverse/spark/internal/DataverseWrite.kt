package dev.dataverse.spark.internal

import dev.dataverse.spark.DataverseSparkOptions
import dev.dataverse.spark.internal.SchemaMapping.isLookup
import org.apache.spark.SparkContext
import org.apache.spark.sql.connector.distributions.Distribution
import org.apache.spark.sql.connector.distributions.Distributions
import org.apache.spark.sql.connector.expressions.Expression
import org.apache.spark.sql.connector.expressions.Expressions
import org.apache.spark.sql.connector.expressions.SortOrder
import org.apache.spark.sql.connector.metric.CustomMetric
import org.apache.spark.sql.connector.metric.CustomTaskMetric
import org.apache.spark.sql.connector.write.BatchWrite
import org.apache.spark.sql.connector.write.DataWriterFactory
import org.apache.spark.sql.connector.write.LogicalWriteInfo
import org.apache.spark.sql.connector.write.PhysicalWriteInfo
import org.apache.spark.sql.connector.write.RequiresDistributionAndOrdering
import org.apache.spark.sql.connector.write.WriterCommitMessage
import org.slf4j.LoggerFactory

/**
 * A planned write. The plan ([WritePlan]) is checked against the table's metadata here, on the driver, before any task
 * starts. When the job-wide budget is smaller than the task slots (or the user asked for a number of write partitions),
 * Spark first repartitions the rows — hashed by their key, so that all changes to one record land in one task — so that
 * no more tasks run than the budget can serve.
 */
internal class DataverseWrite(
    private val info: LogicalWriteInfo,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
) : RequiresDistributionAndOrdering {
    private val plan: WritePlan = WritePlanning.plan(
        info.schema(), options.table, metadata.primaryId, metadata.columns,
        // Relationships name the navigation properties lookups are written through; read only when a lookup is written.
        if (info.schema().fieldNames().any { name -> metadata.columns.any { it.logicalName.equals(name, true) && it.type.isLookup } }) {
            metadata.relationships
        } else {
            emptyList()
        },
        options.operation, options.alternateKey, options.ignoreNullValues, options.catalogTable,
    )
    private val slots: Int get() = SparkContext.getOrCreate().defaultParallelism()
    private val partitions: Int by lazy { Budget.writePartitions(options.partitions, slots, options.maxConcurrency) }

    override fun description(): String = "Dataverse ${options.operation.name.lowercase()} into ${options.table}"

    override fun requiredDistribution(): Distribution {
        if (partitions == 0) return Distributions.unspecified()
        val keys = plan.keyFields.map { it.first }.ifEmpty { listOfNotNull(plan.idField) }.ifEmpty { info.schema().fields().indices.toList() }
        return Distributions.clustered(keys.map { Expressions.column(info.schema().fields()[it].name()) as Expression }.toTypedArray())
    }

    override fun requiredNumPartitions(): Int = partitions

    override fun requiredOrdering(): Array<SortOrder> = emptyArray()

    private val batch: DataverseBatchWrite by lazy { DataverseBatchWrite(info, options, plan, slots) }

    override fun toBatch(): BatchWrite = batch

    override fun supportedCustomMetrics(): Array<CustomMetric> = ConnectorMetrics.WRITE

    /** What the tasks' own reports missed: see [WriteCommit]. Spark adds it to their sum. */
    override fun reportDriverMetrics(): Array<CustomTaskMetric> = batch.unreported()
}

/** Ships the factory to the tasks, and reports or stores the failures of the tasks that committed. */
internal class DataverseBatchWrite(
    private val info: LogicalWriteInfo,
    private val options: ConnectorOptions,
    private val plan: WritePlan,
    private val slots: Int,
) : BatchWrite {
    private val log = LoggerFactory.getLogger(DataverseBatchWrite::class.java)

    @Volatile
    private var unreported = LongArray(TaskMetrics.NAMES.size)

    /** The counts of the committed tasks that Spark had not read from them, by metric. */
    fun unreported(): Array<CustomTaskMetric> =
        TaskMetrics.NAMES.mapIndexed { i, name -> ConnectorMetrics.value(name, unreported[i]) }.toTypedArray()

    private fun collect(commits: List<WriteCommit>) {
        val sums = LongArray(TaskMetrics.NAMES.size)
        for (commit in commits) {
            for (i in sums.indices) sums[i] += (commit.counts.getOrNull(i) ?: 0L) - (commit.reported.getOrNull(i) ?: 0L)
        }
        unreported = sums
    }

    override fun createBatchWriterFactory(physical: PhysicalWriteInfo): DataWriterFactory {
        val share = Budget.writeShare(physical.numPartitions(), slots, options.maxConcurrency)
        return WriterFactory(
            WriteSpec(options.connection, plan, info.schema(), options.idSeed ?: info.queryId(), options.chunkSize, share, options.continueOnError),
        )
    }

    // Rows are written as the task goes (Dataverse has no transaction spanning requests): there is nothing to coordinate.
    override fun useCommitCoordinator(): Boolean = false

    override fun commit(messages: Array<out WriterCommitMessage>) {
        val commits = messages.filterIsInstance<WriteCommit>()
        collect(commits)
        val failures = commits.flatMap { it.failures }
        log.info("Dataverse {} into {}: {} row(s) written, {} failed", options.operation.name.lowercase(), options.table, commits.sumOf { it.written }, failures.size)
        if (failures.isNotEmpty()) {
            val path = checkNotNull(options.failuresPath) { "failures without '${DataverseSparkOptions.FAILURES_PATH}'" }
            FailureOutput.write(path, options.idSeed ?: info.queryId(), failures)
        }
    }

    override fun abort(messages: Array<out WriterCommitMessage>) {
        collect(messages.filterIsInstance<WriteCommit>())
        val written = messages.filterIsInstance<WriteCommit>().sumOf { it.written }
        log.warn(abortMessage(written))
    }

    /**
     * What an aborted write left, and how to finish it: the same ids come back only with the same seed, which is the query
     * id unless `idSeed` was set — and a new run has a new query id, so the message names the seed to pass.
     */
    fun abortMessage(written: Long): String {
        val operation = options.operation.name.lowercase()
        val rerun = when (options.operation) {
            Operation.CREATE, Operation.UPSERT -> {
                val seed = options.idSeed ?: info.queryId()
                val origin = if (options.idSeed != null) "the 'idSeed' of this job" else "this job's query id, the seed of its derived ids"
                "Running it again with .option(\"${DataverseSparkOptions.ID_SEED}\", \"$seed\") ($origin) over the same input writes " +
                    "the remaining rows without duplicating these" + if (options.operation == Operation.CREATE) "." else "; keyed rows are written again, harmlessly."
            }
            Operation.UPDATE, Operation.DELETE -> "Running it again over the same input completes it: $operation is keyed and idempotent."
        }
        return "Dataverse $operation into ${options.table} aborted; rows written by tasks that completed stay written ($written known). $rerun"
    }
}
