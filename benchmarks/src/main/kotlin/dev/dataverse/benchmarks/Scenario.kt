package dev.dataverse.benchmarks

/** One benchmark scenario: measures, checks its counts, and reports. It throws only for setup failures. */
interface Scenario {
    /** Short name for `--scenario`, e.g. `sdk-vs-raw`. */
    val id: String
    val title: String

    /** Emulator options this scenario needs beyond the defaults (e.g. a synthetic table). */
    fun emulatorArgs(sizes: Sizes): List<String> = emptyList()

    fun run(context: ScenarioContext, result: ScenarioResult)
}

/** What a scenario runs with. */
class ScenarioContext(val sizes: Sizes, val emulator: EmulatorProcess, val log: (String) -> Unit)

/** Sizes of one mode. Quick mode proves the scenarios work (counts); full mode measures. */
class Sizes(
    val quick: Boolean,
    val warmupRounds: Int,
    val rounds: Int,
    /** Measured rounds of single-record workloads are calibrated to last about this long; null: as large as warm-up rounds. */
    val roundSeconds: Double?,
    /** Accounts created before the get workloads, which read them round-robin. */
    val seedRecords: Int,
    /** Single-record operations per warm-up round at concurrency 1 and 32. */
    val warmupOpsAtConcurrency1: Int,
    val warmupOpsAtConcurrency32: Int,
    val bulkRecords: Int,
    val bulkRounds: Int,
    /** Sequential single creates per round, extrapolated to [bulkRecords]. */
    val sequentialSample: Int,
    val streamRows: Long,
    val streamRounds: Int,
    /** Rows streamed once before the measured pass in each client JVM, to let the JIT compile the hot path. */
    val streamWarmupRows: Int,
) {
    fun warmupOps(concurrency: Int): Int = if (concurrency == 1) warmupOpsAtConcurrency1 else warmupOpsAtConcurrency32

    companion object {
        val QUICK = Sizes(
            quick = true, warmupRounds = 1, rounds = 1, roundSeconds = null, seedRecords = 32,
            warmupOpsAtConcurrency1 = 20, warmupOpsAtConcurrency32 = 64,
            bulkRecords = 2_000, bulkRounds = 1, sequentialSample = 20,
            streamRows = 20_000, streamRounds = 1, streamWarmupRows = 5_000,
        )
        val FULL = Sizes(
            quick = false, warmupRounds = 2, rounds = 7, roundSeconds = 0.8, seedRecords = 1_000,
            warmupOpsAtConcurrency1 = 500, warmupOpsAtConcurrency32 = 2_000,
            bulkRecords = 100_000, bulkRounds = 3, sequentialSample = 1_000,
            streamRows = 1_000_000, streamRounds = 3, streamWarmupRows = 50_000,
        )
    }
}

/** Collects a scenario's figures and checks. */
class ScenarioResult {
    val setup = mutableListOf<String>()
    val variants = mutableListOf<VariantFigure>()
    val ratios = mutableListOf<RatioFigure>()
    val figures = mutableListOf<ExtraFigure>()
    val checks = mutableListOf<CheckFigure>()
    val notes = mutableListOf<String>()

    fun variant(name: String, concurrency: Int, measurement: Measurement, unit: String = "op", note: String? = null) {
        variants += VariantFigure(
            name, concurrency, measurement.operationsPerRound, unit,
            SpreadFigure.of(measurement.samples.map { it.throughput }), SpreadFigure.of(measurement.samples.map { it.cpuMicrosPerOp }),
            SpreadFigure.of(measurement.samples.map { it.threadCpuMicrosPerOp }), note,
        )
    }

    /** A ratio of throughputs; [atLeast] is the target, if any. */
    fun ratio(name: String, values: List<Double>, atLeast: Double? = null) {
        val figure = SpreadFigure.of(values)
        ratios += RatioFigure(name, figure, atLeast?.let { "≥ %.2f".format(it) }, atLeast?.let { figure.median >= it })
    }

    fun figure(name: String, values: List<Double>, unit: String, target: String? = null, met: Boolean? = null) {
        figures += ExtraFigure(name, SpreadFigure.of(values), unit, target, met)
    }

    /**
     * CPU per operation of the SDK against the target of "well under 0.05 ms" — the whole client process, JIT
     * compilers and GC included, so as not to flatter it — then of its application threads alone, and, when there is a
     * [baseline] doing the same HTTP calls by hand, the SDK's own share: its application-thread CPU per operation minus the
     * baseline's, round by round.
     */
    fun cpuTarget(name: String, sdk: Measurement, baseline: Measurement? = null) {
        val process = SpreadFigure.of(sdk.samples.map { it.cpuMicrosPerOp })
        figures += ExtraFigure("client CPU/op (process), $name", process, "µs", "< 50 µs", process.median < CPU_TARGET_MICROS)
        figure("client CPU/op (app threads), $name", sdk.samples.map { it.threadCpuMicrosPerOp }, "µs")
        if (baseline != null) {
            val own = sdk.samples.zip(baseline.samples) { a, b -> a.threadCpuMicrosPerOp - b.threadCpuMicrosPerOp }
            figure("SDK's own CPU/op = SDK − raw (app threads), $name", own, "µs")
        }
    }

    fun check(name: String, expected: Long, actual: Long) {
        checks += CheckFigure(name, expected, actual)
    }

    companion object {
        const val CPU_TARGET_MICROS = 50.0

        const val EMULATOR_APART: String =
            "Emulator in its own JVM on loopback, so the client CPU figures (this JVM's process and thread CPU time) exclude it."
    }
}
