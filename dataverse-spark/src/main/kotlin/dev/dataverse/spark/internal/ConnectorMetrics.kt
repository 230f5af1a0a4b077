package dev.dataverse.spark.internal

import org.apache.spark.sql.connector.metric.CustomMetric
import org.apache.spark.sql.connector.metric.CustomSumMetric
import org.apache.spark.sql.connector.metric.CustomTaskMetric

/*
 * The connector's metrics in the Spark UI (SQL tab, on the scan and write nodes): each task reports its own counts and
 * Spark shows their sum for the query. Spark instantiates these classes by name on the driver, hence one public class
 * with a no-argument constructor per metric.
 */

/** HTTP requests sent to the service, retries included. */
internal class RequestsMetric : CustomSumMetric() {
    override fun name(): String = REQUESTS
    override fun description(): String = "Dataverse requests"
}

/** Requests the service throttled (HTTP 429, service protection limits), and rows of a `$batch` it throttled. */
internal class ThrottledMetric : CustomSumMetric() {
    override fun name(): String = THROTTLED
    override fun description(): String = "Dataverse 429 throttled"
}

/** Requests (or rows of a bulk request) sent again after a transient failure. */
internal class RetriesMetric : CustomSumMetric() {
    override fun name(): String = RETRIES
    override fun description(): String = "Dataverse retries"
}

/** Rows the service refused (written to the failures output with `onError=continue`). */
internal class FailedRowsMetric : CustomSumMetric() {
    override fun name(): String = FAILED_ROWS
    override fun description(): String = "Dataverse failed rows"
}

/** Rows written: created, updated, upserted or deleted. */
internal class RowsWrittenMetric : CustomSumMetric() {
    override fun name(): String = ROWS_WRITTEN
    override fun description(): String = "Dataverse records written"
}

/** Records and deletions read from a change listing. */
internal class ChangesReadMetric : CustomSumMetric() {
    override fun name(): String = CHANGES_READ
    override fun description(): String = "Dataverse changes read"
}

internal const val REQUESTS = "dataverseRequests"
internal const val THROTTLED = "dataverseThrottled"
internal const val RETRIES = "dataverseRetries"
internal const val FAILED_ROWS = "dataverseFailedRows"
internal const val ROWS_WRITTEN = "dataverseRowsWritten"
internal const val CHANGES_READ = "dataverseChangesRead"

/** The metrics of each kind of operation. */
internal object ConnectorMetrics {
    val READ: Array<CustomMetric> get() = arrayOf(RequestsMetric(), ThrottledMetric(), RetriesMetric())
    val WRITE: Array<CustomMetric> get() = arrayOf(RequestsMetric(), ThrottledMetric(), RetriesMetric(), FailedRowsMetric(), RowsWrittenMetric())
    val STREAM: Array<CustomMetric> get() = arrayOf(RequestsMetric(), ThrottledMetric(), RetriesMetric(), ChangesReadMetric())

    /** One task's value of the metric [name]. */
    fun value(name: String, value: Long): CustomTaskMetric = object : CustomTaskMetric {
        override fun name(): String = name
        override fun value(): Long = value
    }
}
