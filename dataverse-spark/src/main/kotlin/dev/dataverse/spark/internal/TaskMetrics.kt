package dev.dataverse.spark.internal

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.asContextElement
import kotlinx.coroutines.runBlocking
import org.apache.spark.sql.connector.metric.CustomTaskMetric
import java.util.concurrent.atomic.AtomicLong

/**
 * The counts of one Spark task (or of the driver's work for a stream), for the UI's metrics. Tasks of one executor
 * share a client, so the client cannot count per task; instead a task makes each call with its [TaskMetrics] as the
 * thread's current one ([around], [call]), and the client's [MetricsInstrumentation] credits every operation started
 * then — and all of that operation's HTTP attempts and retries, on whatever thread they run — to it.
 */
internal class TaskMetrics {
    val requests = AtomicLong()
    val throttled = AtomicLong()
    val retries = AtomicLong()
    val failedRows = AtomicLong()
    val rowsWritten = AtomicLong()
    val changesRead = AtomicLong()

    /** Runs [block] with these metrics current on this thread, so that the operations it starts count here. */
    inline fun <T> around(block: () -> T): T {
        val previous = CURRENT.get()
        CURRENT.set(this)
        try {
            return block()
        } finally {
            CURRENT.set(previous)
        }
    }

    /** Runs the suspending [block] to its end, with these metrics current on every thread it runs on. */
    fun <T> call(block: suspend CoroutineScope.() -> T): T = around { runBlocking(CURRENT.asContextElement(this), block) }

    /** The values for Spark, by metric name. */
    fun values(): Array<CustomTaskMetric> = counts().let { counts -> NAMES.indices.map { ConnectorMetrics.value(NAMES[it], counts[it]) }.toTypedArray() }

    /** The counts, in the order of [NAMES]. */
    fun counts(): LongArray = longArrayOf(requests.get(), throttled.get(), retries.get(), failedRows.get(), rowsWritten.get(), changesRead.get())

    /** Adds [other]'s counts to these. */
    fun add(other: TaskMetrics) {
        requests.addAndGet(other.requests.get())
        throttled.addAndGet(other.throttled.get())
        retries.addAndGet(other.retries.get())
        failedRows.addAndGet(other.failedRows.get())
        rowsWritten.addAndGet(other.rowsWritten.get())
        changesRead.addAndGet(other.changesRead.get())
    }

    companion object {
        val CURRENT: ThreadLocal<TaskMetrics?> = ThreadLocal()

        /** The metric names, in the order of [counts]. */
        val NAMES = listOf(REQUESTS, THROTTLED, RETRIES, FAILED_ROWS, ROWS_WRITTEN, CHANGES_READ)
    }
}

/**
 * Credits each operation of a client to the [TaskMetrics] current when it started: one request per HTTP attempt, one
 * throttle per 429 answer, one retry per retry the client schedules. Operations started with no current metrics (the
 * driver's metadata reads) are not counted.
 */
internal object MetricsInstrumentation : DataverseInstrumentation {
    override fun bind(client: InstrumentedClient): ClientObserver = object : ClientObserver {
        override fun operationStarted(operation: OperationInfo): OperationObserver {
            val metrics = TaskMetrics.CURRENT.get() ?: return NotCounted
            return Counted(metrics)
        }
    }

    private object NotCounted : OperationObserver {
        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver = AttemptObserver { _, _ -> }
        override fun ended(error: Throwable?) = Unit
    }

    private class Counted(private val metrics: TaskMetrics) : OperationObserver {
        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
            metrics.requests.incrementAndGet()
            return AttemptObserver { response, _ -> if (response?.statusCode == THROTTLED_STATUS) metrics.throttled.incrementAndGet() }
        }

        override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {
            metrics.retries.incrementAndGet()
        }

        override fun ended(error: Throwable?) = Unit
    }

    private const val THROTTLED_STATUS = 429
}
