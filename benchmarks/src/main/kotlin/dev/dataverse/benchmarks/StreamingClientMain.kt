package dev.dataverse.benchmarks

import dev.dataverse.DataverseClient
import dev.dataverse.ListOptions
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import com.sun.management.GarbageCollectionNotificationInfo
import javax.management.openmbean.CompositeData
import kotlin.system.exitProcess

/** What the streaming client JVM reports on its last line of standard output, after [StreamingClientMain.PREFIX]. */
@Serializable
data class StreamingOutcome(
    val rows: Long,
    val expectedRows: Long,
    val elapsedNanos: Long,
    /** Process CPU time of the client JVM during the measured pass. */
    val cpuNanos: Long,
    /** CPU time of the client JVM's Java threads (without JIT compilers and GC) during the measured pass. */
    val threadCpuNanos: Long,
    /**
     * The most heap ever in use: the largest of the heap usage right before each garbage collection (from the GC
     * notifications; usage only grows between collections), the sampler's readings and the final usage.
     */
    val peakHeapBytes: Long,
    /** The largest heap usage seen by a sampler every 2 ms. */
    val maxSampledHeapBytes: Long,
    /** The largest heap usage right after a garbage collection: what the client really keeps alive. */
    val maxHeapAfterGcBytes: Long,
    /** Sum of the heap pools' own peaks: an upper bound only, as the pools peak at different times. */
    val poolPeakSumBytes: Long,
    val maxHeapBytes: Long,
    val gcCount: Long,
    val gcMillis: Long,
    /** A value computed from every row, so that no row goes unread. */
    val checksum: Long,
)

/**
 * The client of scenario 5, run in its own JVM with `-Xmx64m`: streams every row of the emulator's synthetic table with
 * `records.list(...)`, counts them, and reports throughput, CPU and peak heap as one JSON line.
 *
 * Arguments: `<baseUrl> <expectedRows> <warmupRows> <pageSize> <column,column...>`.
 */
object StreamingClientMain {
    const val PREFIX: String = "STREAMING-RESULT "
    const val TABLE: String = "dv_syntheticrow"

    @JvmStatic
    fun main(args: Array<String>) {
        val (url, expectedText, warmupText, pageSizeText, columns) = args
        val expected = expectedText.toLong()
        val options = ListOptions(select = columns.split(','), pageSize = pageSizeText.toInt())
        val memory = ManagementFactory.getMemoryMXBean()
        val sampled = HeapSampler(memory).apply { start() }
        val beforeGc = BeforeGcPeak().apply { install() }
        var rows = 0L
        var checksum = 0L
        var elapsed = 0L
        var cpu = 0L
        var threadCpu = 0L
        DataverseClient {
            environmentUrl(url)
            token(Fixtures.TOKEN)
        }.use { client ->
            runBlocking {
                // A first, shorter pass lets the JIT compile the hot path, as in a long-running application.
                client.records.list(TABLE, options).take(warmupText.toInt()).collect { checksum += consume(it) }
                checksum = 0
                val threads0 = ThreadCpu.snapshot()
                val cpu0 = ProcessCpu.nanos()
                val t0 = System.nanoTime()
                client.records.list(TABLE, options).collect { record ->
                    rows++
                    checksum += consume(record)
                }
                elapsed = System.nanoTime() - t0
                cpu = ProcessCpu.nanos() - cpu0
                threadCpu = ThreadCpu.since(threads0)
            }
        }
        sampled.finish()
        Thread.sleep(200) // GC notifications are delivered asynchronously
        val gcs = ManagementFactory.getGarbageCollectorMXBeans()
        val outcome = StreamingOutcome(
            rows = rows, expectedRows = expected, elapsedNanos = elapsed, cpuNanos = cpu, threadCpuNanos = threadCpu,
            peakHeapBytes = maxOf(beforeGc.max, sampled.max, memory.heapMemoryUsage.used),
            maxSampledHeapBytes = sampled.max,
            maxHeapAfterGcBytes = beforeGc.maxAfter,
            poolPeakSumBytes = ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }.sumOf { it.peakUsage.used },
            maxHeapBytes = Runtime.getRuntime().maxMemory(),
            gcCount = gcs.sumOf { it.collectionCount.coerceAtLeast(0) }, gcMillis = gcs.sumOf { it.collectionTime.coerceAtLeast(0) },
            checksum = checksum,
        )
        println(PREFIX + Json.encodeToString(StreamingOutcome.serializer(), outcome))
        System.out.flush()
        exitProcess(if (rows == expected) 0 else 3)
    }

    /** Reads the selected columns as an application would. */
    private fun consume(record: dev.dataverse.DataverseRecord): Long =
        (record.getLong("dv_number") ?: 0L) + (record.getString("dv_name")?.length ?: 0)

    /** The heap in use right before and right after each collection, from the collectors' notifications. */
    private class BeforeGcPeak {
        private val heapPools = ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }.map { it.name }.toSet()
        private val peak = java.util.concurrent.atomic.AtomicLong()
        private val peakAfter = java.util.concurrent.atomic.AtomicLong()
        val max: Long get() = peak.get()
        val maxAfter: Long get() = peakAfter.get()

        fun install() {
            for (collector in ManagementFactory.getGarbageCollectorMXBeans()) {
                (collector as? javax.management.NotificationEmitter)?.addNotificationListener({ notification, _ ->
                    if (notification.type == GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION) {
                        val info = GarbageCollectionNotificationInfo.from(notification.userData as CompositeData)
                        val used = info.gcInfo.memoryUsageBeforeGc.filterKeys { it in heapPools }.values.sumOf { it.used }
                        peak.accumulateAndGet(used, ::maxOf)
                        val after = info.gcInfo.memoryUsageAfterGc.filterKeys { it in heapPools }.values.sumOf { it.used }
                        peakAfter.accumulateAndGet(after, ::maxOf)
                    }
                }, null, null)
            }
        }
    }

    private class HeapSampler(private val memory: java.lang.management.MemoryMXBean) : Thread("heap-sampler") {
        @Volatile
        var max: Long = 0
        @Volatile
        private var running = true

        init {
            isDaemon = true
        }

        override fun run() {
            while (running) {
                max = maxOf(max, memory.heapMemoryUsage.used)
                sleep(2)
            }
        }

        fun finish() {
            running = false
            join()
            max = maxOf(max, memory.heapMemoryUsage.used)
        }
    }
}
