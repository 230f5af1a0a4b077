package dev.dataverse.benchmarks

import java.io.IOException
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * One measured round of one variant: how many operations, in how much wall-clock time and client CPU time — of the whole
 * process ([cpuNanos]: application threads, JIT compilers, GC) and of its application threads alone ([threadCpuNanos]).
 */
class RoundSample(
    val operations: Long,
    val wallNanos: Long,
    val cpuNanos: Long,
    val threadCpuNanos: Long = cpuNanos,
    /** Bytes allocated by the live Java threads during the round ([AllocatedBytes]); -1 when the JVM cannot tell. */
    val allocatedBytes: Long = -1,
    /** Voluntary and involuntary context switches of this process's threads during the round ([ContextSwitches]); -1 if unknown. */
    val contextSwitches: Long = -1,
    /** TCP connections the emulator accepted during the round; -1 when not counted. */
    val connections: Long = -1,
    /** Threads this JVM started during the round (`ThreadMXBean.getTotalStartedThreadCount`); -1 when not counted. */
    val threadsStarted: Long = -1,
    /** [threadCpuNanos] split by the threads' roles ([ThreadCpu.role]): which thread a call's work runs on. */
    val threadCpuByRole: Map<String, Long> = emptyMap(),
) {
    /** Operations per second of wall-clock time. */
    val throughput: Double get() = operations * 1e9 / wallNanos

    /** Client process CPU time per operation, in microseconds. */
    val cpuMicrosPerOp: Double get() = cpuNanos / 1e3 / operations

    /** Client application threads' CPU time per operation, in microseconds. */
    val threadCpuMicrosPerOp: Double get() = threadCpuNanos / 1e3 / operations

    /** Wall-clock time per operation, in milliseconds: the latency of one call when the operations ran one at a time. */
    val millisPerOp: Double get() = wallNanos / 1e6 / operations

    val allocatedBytesPerOp: Double get() = if (allocatedBytes < 0) Double.NaN else allocatedBytes.toDouble() / operations
    val contextSwitchesPerOp: Double get() = if (contextSwitches < 0) Double.NaN else contextSwitches.toDouble() / operations
    val connectionsPerOp: Double get() = if (connections < 0) Double.NaN else connections.toDouble() / operations
    val threadsStartedPerOp: Double get() = if (threadsStarted < 0) Double.NaN else threadsStarted.toDouble() / operations
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
    val millisPerOp: Spread get() = Spread.of(samples.map { it.millisPerOp })
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

    /** [since], per role of the threads alive now: their names with numbers as `#` (pools of one kind add up). */
    fun sinceByRole(before: Map<Long, Long>): Map<String, Long> {
        val byRole = java.util.TreeMap<String, Long>()
        for ((id, time) in snapshot()) {
            val name = bean.getThreadInfo(id)?.threadName ?: continue // ended meanwhile
            byRole.merge(role(name), time - (before[id] ?: 0L), Long::plus)
        }
        return byRole
    }

    /** A thread's name with every run of digits as `#`: `HttpClient-3-SelectorManager` is `HttpClient-#-SelectorManager`. */
    fun role(threadName: String): String = threadName.replace(DIGITS, "#")

    private val DIGITS = Regex("[0-9]+")
}

/**
 * Bytes allocated on the heap by this JVM's live threads (`com.sun.management.ThreadMXBean.getThreadAllocatedBytes`),
 * summed; as with [ThreadCpu], threads that end during a round take their share with them.
 */
object AllocatedBytes {
    private val bean = ManagementFactory.getThreadMXBean() as? com.sun.management.ThreadMXBean

    /** Per thread id; empty when the JVM does not measure allocations. */
    fun snapshot(): Map<Long, Long> {
        val threads = bean?.takeIf { it.isThreadAllocatedMemorySupported && it.isThreadAllocatedMemoryEnabled } ?: return emptyMap()
        val ids = threads.allThreadIds
        val bytes = threads.getThreadAllocatedBytes(ids)
        val result = HashMap<Long, Long>(ids.size * 2)
        for (index in ids.indices) if (bytes[index] >= 0) result[ids[index]] = bytes[index]
        return result
    }

    /** Bytes allocated since [before] by the threads alive now; -1 when unsupported. */
    fun since(before: Map<Long, Long>): Long {
        if (before.isEmpty()) return -1
        return snapshot().entries.sumOf { (id, bytes) -> bytes - (before[id] ?: 0L) }
    }
}

/**
 * Context switches of this process's threads: `voluntary_ctxt_switches` + `nonvoluntary_ctxt_switches` in
 * `/proc/self/task/<tid>/status` (Linux only; elsewhere unknown). A thread hand-off (one thread waking another to go on
 * with a call) costs at least one, which is what this figure shows per call. As with [ThreadCpu], counts are taken per
 * thread, so a thread that ends during a round takes its share with it and one started meanwhile counts from zero.
 */
object ContextSwitches {
    private val tasks: Path = Paths.get("/proc/self/task")

    /** Per thread id; empty when the platform has no `/proc`. */
    fun snapshot(): Map<String, Long> {
        if (!Files.isDirectory(tasks)) return emptyMap()
        val counts = HashMap<String, Long>()
        Files.newDirectoryStream(tasks).use { threads ->
            for (thread in threads) {
                val lines = try {
                    Files.readAllLines(thread.resolve("status"))
                } catch (e: IOException) {
                    continue // the thread ended while we listed them
                }
                counts[thread.fileName.toString()] = lines
                    .filter { it.startsWith("voluntary_ctxt_switches:") || it.startsWith("nonvoluntary_ctxt_switches:") }
                    .sumOf { it.substringAfter(':').trim().toLong() }
            }
        }
        return counts
    }

    /** Switches since [before] of the threads alive now; -1 when unknown. */
    fun since(before: Map<String, Long>): Long {
        if (before.isEmpty()) return -1
        return snapshot().entries.sumOf { (tid, count) -> count - (before[tid] ?: 0L) }
    }
}

/**
 * Threads this JVM has started since it began. A client that starts a thread per call (as one that lets its responses
 * hop through `CompletableFuture`'s default async pool does on a JVM that sees one or two CPUs) shows it here.
 */
object StartedThreads {
    private val bean = ManagementFactory.getThreadMXBean()

    fun count(): Long = bean.totalStartedThreadCount
}

/**
 * Runs [block] once and measures it; [block] returns the number of operations it verified. [connections] reads the
 * emulator's accepted-connection counter (or returns -1), before and after.
 */
inline fun measure(expectedOperations: Long, connections: () -> Long = { -1L }, block: () -> Long): RoundSample {
    val connections0 = connections()
    val started0 = StartedThreads.count()
    val switches0 = ContextSwitches.snapshot()
    val allocated0 = AllocatedBytes.snapshot()
    val threads0 = ThreadCpu.snapshot()
    val cpu0 = ProcessCpu.nanos()
    val t0 = System.nanoTime()
    val done = block()
    val wall = System.nanoTime() - t0
    val cpu = ProcessCpu.nanos() - cpu0
    val threadCpuByRole = ThreadCpu.sinceByRole(threads0)
    val threadCpu = threadCpuByRole.values.sum()
    val allocated = AllocatedBytes.since(allocated0)
    val switches = ContextSwitches.since(switches0)
    val started = StartedThreads.count() - started0
    val connections1 = connections()
    check(done == expectedOperations) { "expected $expectedOperations verified operations, got $done" }
    val opened = if (connections0 < 0 || connections1 < 0) -1 else connections1 - connections0
    return RoundSample(done, wall, cpu, threadCpu, allocated, switches, opened, started, threadCpuByRole)
}
