package dev.dataverse.benchmarks

/** One benchmark scenario: measures, checks its counts, and reports. It throws only for setup failures. */
interface Scenario {
    /** Short name for `--scenario`, e.g. `vs-jdk`. */
    val id: String
    val title: String

    /** Emulator options this scenario needs beyond the defaults (e.g. a synthetic table). */
    fun emulatorArgs(sizes: Sizes): List<String> = emptyList()

    fun run(context: ScenarioContext, result: ScenarioResult)
}

/** What a scenario runs with. */
class ScenarioContext(val sizes: Sizes, val emulator: EmulatorProcess, val log: (String) -> Unit, val pinning: CpuPinning = CpuPinning.NONE) {
    /** [Rounds.interleave] with this mode's sizes, counting the connections [emulator] accepts in each round. */
    fun interleave(variants: List<Variant>): Map<String, Measurement> =
        Rounds.interleave(variants, sizes.warmupRounds, sizes.rounds, sizes.roundSeconds, log, emulator::connectionsAccepted)
}

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
    /** Records of the service-protection load, records per request, and the emulator's time scale for the limits. */
    val protectionRecords: Int,
    val protectionChunk: Int,
    val protectionTimeScale: Int,
) {
    fun warmupOps(concurrency: Int): Int = if (concurrency == 1) warmupOpsAtConcurrency1 else warmupOpsAtConcurrency32

    companion object {
        val QUICK = Sizes(
            quick = true, warmupRounds = 0, rounds = 1, roundSeconds = null, seedRecords = 32,
            warmupOpsAtConcurrency1 = 20, warmupOpsAtConcurrency32 = 64,
            bulkRecords = 2_000, bulkRounds = 1, sequentialSample = 20,
            streamRows = 20_000, streamRounds = 1, streamWarmupRows = 5_000,
            // 100 requests of 20 against 20 per 1-second window: four windows for one user.
            protectionRecords = 2_000, protectionChunk = 20, protectionTimeScale = 300,
        )
        val FULL = Sizes(
            // Sequential variants warm up for 1,500 operations a round: with 500 the JIT was still compiling in the measured
            // rounds (its threads' CPU counts as the client's) and the rounds, sized on the warm-up's rate, lasted 0.3 s.
            // Rounds of 2.5 s, 9 of them: with 7 of 1.5 s a median ratio moved by 5 to 10 % between runs of the same code,
            // and process CPU time, read in 10 ms ticks, was coarse to about 1.5 % a round.
            quick = false, warmupRounds = 3, rounds = 9, roundSeconds = 2.5, seedRecords = 1_000,
            warmupOpsAtConcurrency1 = 1_500, warmupOpsAtConcurrency32 = 2_000,
            bulkRecords = 100_000, bulkRounds = 3, sequentialSample = 1_000,
            streamRows = 1_000_000, streamRounds = 3, streamWarmupRows = 50_000,
            // 2,000 requests of 100 against 600 per 30-second window: 90 s at best for one user, 30 s for three.
            protectionRecords = 200_000, protectionChunk = 100, protectionTimeScale = 10,
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

    /** Why the scenario did not run (what it needs is missing here), or null when it ran. */
    var skipped: String? = null

    /**
     * Whether the scenario passed, given the [error] it ended with: it checked something and every check held — or it was
     * skipped, which measured nothing and claims nothing, so it does not fail the run.
     */
    fun correct(error: String?): Boolean = error == null && (skipped != null || checks.isNotEmpty() && checks.all { it.ok })

    fun variant(name: String, concurrency: Int, measurement: Measurement, unit: String = "op", note: String? = null) {
        val samples = measurement.samples
        fun optional(values: List<Double>) = values.takeIf { list -> list.none { it.isNaN() } }?.let(SpreadFigure::of)
        variants += VariantFigure(
            name, concurrency, measurement.operationsPerRound, unit,
            SpreadFigure.of(samples.map { it.throughput }), SpreadFigure.of(samples.map { it.cpuMicrosPerOp }),
            SpreadFigure.of(samples.map { it.threadCpuMicrosPerOp }), note,
            // Wall time per operation is latency only with one call in flight; above that it is 1 / throughput.
            latencyMillis = if (concurrency == 1) SpreadFigure.of(samples.map { it.millisPerOp }) else null,
            allocatedBytesPerOp = optional(samples.map { it.allocatedBytesPerOp }),
            contextSwitchesPerOp = optional(samples.map { it.contextSwitchesPerOp }),
            connectionsPerOp = optional(samples.map { it.connectionsPerOp }),
            connectionsPerRound = samples.map { it.connections }.takeIf { list -> list.none { it < 0 } }?.max(),
            threadsStartedPerOp = optional(samples.map { it.threadsStartedPerOp }),
            threadCpuMicrosPerOpByRole = byRole(samples),
        )
    }

    /** Each thread role's CPU per operation over the rounds (0 in a round it did not run), for roles worth showing. */
    private fun byRole(samples: List<RoundSample>): Map<String, SpreadFigure>? {
        val roles = samples.flatMap { it.threadCpuByRole.keys }.toSortedSet()
        if (roles.isEmpty()) return null
        return roles.associateWith { role -> SpreadFigure.of(samples.map { (it.threadCpuByRole[role] ?: 0L) / 1e3 / it.operations }) }
            .filterValues { it.median >= ReportWriter.MIN_ROLE_MICROS }
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
     * The steady-state target: a measured round (after warm-up) opens no more connections than [concurrency] —
     * a pool that keeps its connections opens none at all. Printed as a figure with its target, never asserted.
     */
    fun connectionTarget(name: String, measurement: Measurement, concurrency: Int) {
        val opened = measurement.samples.map { it.connections }
        if (opened.any { it < 0 }) return
        val figure = SpreadFigure.of(opened.map { it.toDouble() })
        figures += ExtraFigure("connections opened per measured round, $name", figure, "conn", "≤ $concurrency", figure.max <= concurrency)
    }

    /** A ratio that should stay at or below [atMost] (CPU per call: lower is better). */
    fun ratioAtMost(name: String, values: List<Double>, atMost: Double) {
        val figure = SpreadFigure.of(values)
        ratios += RatioFigure(name, figure, "≤ %.2f".format(atMost), figure.median <= atMost)
    }

    fun check(name: String, expected: Long, actual: Long) {
        checks += CheckFigure(name, expected, actual)
    }

    companion object {
        const val EMULATOR_APART: String =
            "Emulator in its own JVM on loopback, so the client CPU figures (this JVM's process and thread CPU time) exclude it."
    }
}
