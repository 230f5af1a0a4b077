package dev.dataverse.benchmarks

import java.lang.management.ManagementFactory

/**
 * One measured round of one variant: how many operations, in how much wall-clock time and client CPU time — of the whole
 * process ([cpuNanos]: application threads, JIT compilers, GC) and of its application threads alone ([threadCpuNanos]).
 */
class RoundSample(val operations: Long, val wallNanos: Long, val cpuNanos: Long, val threadCpuNanos: Long = cpuNanos) {
    /** Operations per second of wall-clock time. */
    val throughput: Double get() = operations * 1e9 / wallNanos

    /** Client process CPU time per operation, in microseconds. */
    val cpuMicrosPerOp: Double get() = cpuNanos / 1e3 / operations

    /** Client application threads' CPU time per operation, in microseconds. */
    val threadCpuMicrosPerOp: Double get() = threadCpuNanos / 1e3 / operations
}

/** The median and the spread (min and max) of a few values, one per round. */
class Spread(val median: Double, val min: Double, val max: Double, val n: Int) {
    companion object {
        fun of(values: List<Double>): Spread {
            require(values.isNotEmpty()) { "no values" }
            val sorted = values.sorted()
            val middle = sorted.size / 2
            val median = if (sorted.size % 2 == 1) sorted[middle] else (sorted[middle - 1] + sorted[middle]) / 2
            return Spread(median, sorted.first(), sorted.last(), sorted.size)
        }
    }
}

/** The rounds of one variant, summarised. */
class Measurement(val samples: List<RoundSample>) {
    val throughput: Spread get() = Spread.of(samples.map { it.throughput })
    val cpuMicrosPerOp: Spread get() = Spread.of(samples.map { it.cpuMicrosPerOp })
    val threadCpuMicrosPerOp: Spread get() = Spread.of(samples.map { it.threadCpuMicrosPerOp })
    val operationsPerRound: Long get() = samples.first().operations
}

/**
 * CPU time of this JVM process, all threads together (application, Ktor, coroutine workers, GC and JIT), from
 * `com.sun.management.OperatingSystemMXBean.getProcessCpuTime`. On Linux it ticks in 10 ms steps, so rounds are sized to
 * last about a second or more in full mode. The emulator runs in another process, so its CPU is not counted.
 */
object ProcessCpu {
    private val bean = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    fun nanos(): Long = bean.processCpuTime
}

/**
 * CPU time of this JVM's live Java threads (`ThreadMXBean.getThreadCpuTime`, nanosecond resolution, user + system): the
 * application, Ktor and coroutine threads, without the JIT compiler and GC threads, which the JVM does not list. Threads
 * that end during a round take their time with them; the pools used here keep their threads across rounds.
 */
object ThreadCpu {
    private val bean = ManagementFactory.getThreadMXBean()

    fun snapshot(): Map<Long, Long> {
        val ids = bean.allThreadIds
        val times = HashMap<Long, Long>(ids.size * 2)
        for (id in ids) {
            val time = bean.getThreadCpuTime(id)
            if (time >= 0) times[id] = time
        }
        return times
    }

    /** CPU time used since [before] by the threads alive now (threads started since count from zero). */
    fun since(before: Map<Long, Long>): Long = snapshot().entries.sumOf { (id, time) -> time - (before[id] ?: 0L) }
}

/** Runs [block] once and measures it; [block] returns the number of operations it verified. */
inline fun measure(expectedOperations: Long, block: () -> Long): RoundSample {
    val threads0 = ThreadCpu.snapshot()
    val cpu0 = ProcessCpu.nanos()
    val t0 = System.nanoTime()
    val done = block()
    val wall = System.nanoTime() - t0
    val cpu = ProcessCpu.nanos() - cpu0
    val threadCpu = ThreadCpu.since(threads0)
    check(done == expectedOperations) { "expected $expectedOperations verified operations, got $done" }
    return RoundSample(done, wall, cpu, threadCpu)
}
