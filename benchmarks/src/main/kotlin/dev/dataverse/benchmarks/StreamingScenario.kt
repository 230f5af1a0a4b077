package dev.dataverse.benchmarks

import kotlinx.serialization.json.Json
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * Scenario 5: streaming. A client JVM started with `-Xmx64m` ([StreamingClientMain]) lists every row of the emulator's
 * synthetic table (`dv_syntheticrow`, rows generated on the fly) with `records.list(...)`, pages of 5000, two columns.
 * Figures: rows/s, client CPU per row, and the client JVM's peak heap.
 */
class StreamingScenario : Scenario {
    override val id = "streaming"
    override val title = "5. Streaming a large table through a client JVM with -Xmx64m"

    override fun emulatorArgs(sizes: Sizes): List<String> = listOf("--synthetic-rows", sizes.streamRows.toString())

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        result.setup += "Emulator in its own JVM with --synthetic-rows ${sizes.streamRows}; each round is a fresh client JVM " +
            "(${CLIENT_JVM_ARGS.joinToString(" ")}, default GC) streaming ${sizes.streamWarmupRows} rows to warm up, then all rows measured."
        result.setup += "Client CPU = the client JVM's CPU time during the measured pass. Peak heap = the most heap it ever had in use: the " +
            "largest usage right before a garbage collection (GC notifications), or seen by a 2 ms sampler."
        val outcomes = mutableListOf<StreamingOutcome>()
        repeat(sizes.streamRounds) { round ->
            val (exit, outcome) = runClient(context, sizes)
            outcomes += outcome
            result.check("client JVM exit code, round ${round + 1}", 0, exit.toLong())
            result.check("rows streamed, round ${round + 1}", sizes.streamRows, outcome.rows)
            context.log(
                "  round %d  %,d rows in %,.0f ms: %,.0f rows/s, %.2f µs CPU/row, peak heap %.1f MiB (after GC at most %.1f MiB), %d GCs"
                    .format(
                        round + 1, outcome.rows, outcome.elapsedNanos / 1e6, outcome.rows * 1e9 / outcome.elapsedNanos,
                        outcome.cpuNanos / 1e3 / outcome.rows, outcome.peakHeapBytes / MIB, outcome.maxHeapAfterGcBytes / MIB, outcome.gcCount,
                    ),
            )
        }
        val measurement = Measurement(outcomes.map { RoundSample(it.rows, it.elapsedNanos, it.cpuNanos, it.threadCpuNanos) })
        result.variant("list() pageSize $PAGE_SIZE, \$select $COLUMNS", 1, measurement, "row")
        result.figure("rows/s", outcomes.map { it.rows * 1e9 / it.elapsedNanos }, "rows/s")
        val maxHeap = outcomes.maxOf { it.maxHeapBytes } / MIB
        result.figure(
            "client JVM peak heap used", outcomes.map { it.peakHeapBytes / MIB }, "MiB",
            "${sizes.streamRows} rows, -Xmx64m, no error", outcomes.size == sizes.streamRounds && outcomes.all { it.rows == sizes.streamRows },
        )
        result.figure("client JVM max heap used seen by the 2 ms sampler", outcomes.map { it.maxSampledHeapBytes / MIB }, "MiB")
        result.figure("client JVM max heap right after a GC (≥ live data: old garbage waits)", outcomes.map { it.maxHeapAfterGcBytes / MIB }, "MiB")
        result.figure("client JVM garbage collections per pass", outcomes.map { it.gcCount.toDouble() }, "GCs")
        result.notes += "The client JVM's max heap was %.0f MiB (Runtime.maxMemory under -Xmx64m).".format(maxHeap)
    }

    /** Runs one client JVM; returns its exit code and what it reported. */
    private fun runClient(context: ScenarioContext, sizes: Sizes): Pair<Int, StreamingOutcome> {
        val args = listOf(context.emulator.baseUrl, sizes.streamRows.toString(), sizes.streamWarmupRows.toString(), PAGE_SIZE.toString(), COLUMNS)
        ChildJvm.start("streaming-client", CLIENT_JVM_ARGS, StreamingClientMain::class.java.name, args).use { child ->
            val line = CompletableFuture<String>()
            val output = child.readLines { if (it.startsWith(StreamingClientMain.PREFIX)) line.complete(it.removePrefix(StreamingClientMain.PREFIX)) }
            val finished = child.process.waitFor(10, TimeUnit.MINUTES)
            check(finished) { "the streaming client did not finish within 10 minutes" }
            output.get(10, TimeUnit.SECONDS)
            val exit = child.process.exitValue()
            check(line.isDone) { "the streaming client exited with $exit without a result. Its log:\n${child.logTail()}" }
            return exit to Json.decodeFromString(StreamingOutcome.serializer(), line.get())
        }
    }

    private companion object {
        val CLIENT_JVM_ARGS = listOf("-Xmx64m")
        const val PAGE_SIZE = 5000
        const val COLUMNS = "dv_name,dv_number"
        const val MIB = 1024.0 * 1024.0
    }
}
