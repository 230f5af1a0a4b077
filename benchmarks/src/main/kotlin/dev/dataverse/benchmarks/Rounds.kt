package dev.dataverse.benchmarks

/**
 * One of the things compared in a scenario: a named [load] at [concurrency]. Warm-up rounds run [warmupOperations]
 * operations; measured rounds run [operations] when it is set, else as many as the group's calibration decides.
 */
class Variant(
    val name: String,
    val concurrency: Int,
    val load: Load,
    val warmupOperations: Int,
    val operations: Int? = null,
) {
    companion object {
        /** A calibrated variant of coroutines; see [Loads.suspending]. */
        fun suspending(name: String, concurrency: Int, sizes: Sizes, operation: suspend (Int) -> Boolean): Variant =
            Variant(name, concurrency, Loads.suspending(concurrency, operation), sizes.warmupOps(concurrency))

        /** A calibrated variant of platform threads; see [Loads.blocking]. */
        fun blocking(name: String, concurrency: Int, sizes: Sizes, pool: ThreadPool, operation: (Int) -> Boolean): Variant =
            Variant(name, concurrency, Loads.blocking(concurrency, pool, operation), sizes.warmupOps(concurrency))

        /** A calibrated variant of future chains; see [Loads.futures]. */
        fun futures(name: String, concurrency: Int, sizes: Sizes, operation: (Int) -> java.util.concurrent.CompletableFuture<Boolean>): Variant =
            Variant(name, concurrency, Loads.futures(concurrency, operation), sizes.warmupOps(concurrency))
    }
}

/**
 * Runs compared variants in interleaved rounds, so that the machine's noise (other processes, frequency changes, the
 * emulator's garbage collector) hits all of them alike: round r runs A B C in even rounds and C B A in odd ones. A full
 * GC before every measured run keeps one variant's garbage from being collected on another's clock.
 *
 * Warm-up rounds are interleaved the same way. Warming each variant up in turn left the first one to run while the JIT
 * was still compiling the code all of them share: its last warm-up round was the slowest by far, and the measured rounds,
 * sized on it, lasted well under half of [roundSeconds].
 *
 * With [roundSeconds] set, the variants without a fixed size are calibrated on their last warm-up round: every one of
 * them runs the same number of operations per round, sized so that the slowest takes about [roundSeconds]. Without it
 * (quick mode) measured rounds are as large as warm-up rounds.
 */
object Rounds {
    fun interleave(
        variants: List<Variant>,
        warmupRounds: Int,
        rounds: Int,
        roundSeconds: Double?,
        log: (String) -> Unit,
        /** The emulator's accepted-connection counter, read around each round; -1 when not counted. */
        connections: () -> Long = { -1L },
    ): Map<String, Measurement> {
        require(variants.map { it.name }.toSet().size == variants.size) { "variant names must be unique" }
        val lastWarmup = mutableMapOf<String, RoundSample>()
        for (round in 0 until warmupRounds) {
            for (variant in inOrder(variants, round)) {
                val sample = measure(variant.warmupOperations.toLong(), connections) { variant.load.run(variant.warmupOperations) }
                lastWarmup[variant.name] = sample
                log("  warm-up %d %-38s %s".format(round + 1, variant.name, describe(sample)))
            }
        }
        val calibrated = calibrate(variants, lastWarmup, roundSeconds)
        val samples = variants.associate { it.name to mutableListOf<RoundSample>() }
        for (round in 0 until rounds) {
            for (variant in inOrder(variants, round)) {
                val operations = variant.operations ?: calibrated
                System.gc()
                val sample = measure(operations.toLong(), connections) { variant.load.run(operations) }
                samples.getValue(variant.name) += sample
                log("  round %d  %-38s %s".format(round + 1, variant.name, describe(sample)))
            }
        }
        return variants.associate { it.name to Measurement(samples.getValue(it.name)) }
    }

    /** A B C in even rounds, C B A in odd ones. */
    private fun inOrder(variants: List<Variant>, round: Int): List<Variant> = if (round % 2 == 0) variants else variants.reversed()

    /** Operations per round for the variants without a fixed size: the slowest one's rate × [roundSeconds]. */
    private fun calibrate(variants: List<Variant>, warmups: Map<String, RoundSample>, roundSeconds: Double?): Int {
        val flexible = variants.filter { it.operations == null }
        if (flexible.isEmpty()) return 0
        val warmupSize = flexible.maxOf { it.warmupOperations }
        if (roundSeconds == null || warmups.isEmpty()) return warmupSize
        val slowest = flexible.minOf { warmups.getValue(it.name).throughput }
        val step = flexible.maxOf { it.concurrency }
        val operations = (slowest * roundSeconds / step).toInt().coerceAtLeast(1) * step
        return operations.coerceIn(MIN_OPERATIONS, MAX_OPERATIONS)
    }

    /** Per-round ratios of [numerator]'s process CPU per operation to [denominator]'s. */
    fun cpuRatios(numerator: Measurement, denominator: Measurement): List<Double> =
        numerator.samples.zip(denominator.samples) { a, b -> a.cpuMicrosPerOp / b.cpuMicrosPerOp }

    /** Per-round ratios of [numerator]'s throughput to [denominator]'s: the rounds were interleaved, so pairs share conditions. */
    fun throughputRatios(numerator: Measurement, denominator: Measurement): List<Double> =
        numerator.samples.zip(denominator.samples) { a, b -> a.throughput / b.throughput }

    private fun describe(sample: RoundSample): String =
        "%,d ops in %,.0f ms: %,.0f ops/s, %.1f µs CPU/op, %,.0f B/op, %.1f ctx sw/op, %d connections".format(
            sample.operations, sample.wallNanos / 1e6, sample.throughput, sample.cpuMicrosPerOp, sample.allocatedBytesPerOp,
            sample.contextSwitchesPerOp, sample.connections,
        )

    private const val MIN_OPERATIONS = 200
    private const val MAX_OPERATIONS = 200_000
}
