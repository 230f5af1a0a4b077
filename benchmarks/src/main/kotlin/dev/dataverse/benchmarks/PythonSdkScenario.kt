package dev.dataverse.benchmarks

import dev.dataverse.DataverseClient
import java.util.concurrent.atomic.AtomicLong

/**
 * This SDK against Microsoft's Python SDK for Dataverse (PowerPlatform-Dataverse-Client, its synchronous client on
 * `requests`: the only client of the version benchmarked), on the same emulator with the same workload: create an
 * `account`, then get it by id, [CONCURRENCY] in flight — `suspend` calls here, [CONCURRENCY] threads in Python. Run only
 * when asked (`--scenario python-sdk`): it needs Debian's python3 and the SDK set up by `benchmarks/python-sdk-setup.sh`,
 * and is skipped, saying why, when they are missing. Nothing is installed by the scenario itself.
 *
 * The Python driver is one long-lived process pinned to the client CPU (as this JVM is), so its imports, connection pool
 * and the SDK's entity-set cache stay warm; its rounds alternate with this SDK's (A B, then B A). Its CPU figure is the
 * whole Python process's user + system time (`getrusage`), as this SDK's is the whole JVM's.
 */
class PythonSdkScenario : Scenario {
    override val id = "python-sdk"
    override val title = "7. This SDK (suspend) vs Microsoft's Python SDK (sync client, 16 threads): create + get"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        PythonDriver.unavailable()?.let { reason ->
            result.skipped = reason
            context.log("  skipped: $reason")
            return
        }
        val sizes = context.sizes
        val emulator = context.emulator
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "One operation = create an account + get it back (2 calls), $CONCURRENCY in flight. This SDK: records.create/get, " +
            "suspend, on its default transport, in this JVM. Python: Microsoft's PowerPlatform-Dataverse-Client (sync client, requests), " +
            "client.records.create/get on $CONCURRENCY threads, one requests.Session (the SDK's context-manager mode) with a pool of " +
            "$CONCURRENCY connections, in its own process (${PythonDriver.PYTHON}); its CPU = getrusage(RUSAGE_SELF) user + system."
        val rounds = sizes.rounds
        val seconds = if (sizes.quick) QUICK_ROUND_SECONDS else ROUND_SECONDS
        val created = AtomicLong()
        Fixtures.sdkClient(emulator.baseUrl).use { sdk ->
            val before = Fixtures.countAccounts(sdk)
            val ours = Loads.suspending(CONCURRENCY) { i -> pair(sdk, i, created) }
            PythonDriver.start(emulator.baseUrl, CONCURRENCY, context.pinning.clientPrefix()).use { python ->
                var pythonCreated = 1L // the driver's first create + get, before "ready"
                fun runPython(): RoundSample {
                    val connections0 = emulator.connectionsAccepted()
                    val round = python.run(seconds)
                    val connections = emulator.connectionsAccepted() - connections0
                    pythonCreated += round.ops
                    check(round.errors.isEmpty()) { "the Python SDK failed: ${round.errors}" }
                    check(round.ops > 0 && round.verified == round.ops) { "Python verified ${round.verified} of ${round.ops} operations" }
                    val cpu = (round.cpuSeconds * 1e9).toLong()
                    return RoundSample(round.ops, (round.wallSeconds * 1e9).toLong(), cpu, cpu, connections = connections)
                }
                fun runOurs(operations: Int): RoundSample {
                    System.gc()
                    return measure(operations.toLong(), emulator::connectionsAccepted) { ours.run(operations) }
                }
                // Warm-up: the JIT for this SDK (first alone: the other scenarios' loads have not warmed it here), the
                // interpreter's caches and the connection pool for Python; the last round sizes this SDK's rounds.
                if (!sizes.quick) {
                    val sample = runOurs(JIT_WARMUP_OPERATIONS)
                    context.log("  warm-up  %-26s %s".format(OURS, describe(sample)))
                }
                var calibrated = sizes.warmupOps(CONCURRENCY)
                repeat(sizes.warmupRounds) {
                    val sample = runOurs(sizes.warmupOps(CONCURRENCY))
                    calibrated = ((sample.throughput * seconds / CONCURRENCY).toInt().coerceAtLeast(1)) * CONCURRENCY
                    context.log("  warm-up  %-26s %s".format(OURS, describe(sample)))
                    context.log("  warm-up  %-26s %s".format(PYTHON, describe(runPython())))
                }
                val oursSamples = mutableListOf<RoundSample>()
                val pythonSamples = mutableListOf<RoundSample>()
                for (round in 0 until rounds) {
                    val order = if (round % 2 == 0) listOf(OURS, PYTHON) else listOf(PYTHON, OURS)
                    for (name in order) {
                        val sample = if (name == OURS) runOurs(calibrated).also { oursSamples += it } else runPython().also { pythonSamples += it }
                        context.log("  round %d  %-26s %s".format(round + 1, name, describe(sample)))
                    }
                }
                val oursMeasured = Measurement(oursSamples)
                val pythonMeasured = Measurement(pythonSamples)
                result.variant(OURS, CONCURRENCY, oursMeasured, unit = "create+get")
                result.variant(
                    PYTHON, CONCURRENCY, pythonMeasured, unit = "create+get",
                    note = "Python process CPU (getrusage); app-thread CPU is the same figure: Python has no separate JIT or GC threads",
                )
                result.ratio("this SDK / Python SDK throughput, c=$CONCURRENCY", Rounds.throughputRatios(oursMeasured, pythonMeasured))
                result.ratio("this SDK / Python SDK process CPU per operation, c=$CONCURRENCY", Rounds.cpuRatios(oursMeasured, pythonMeasured))
                result.check("accounts created, counted in the emulator", created.get() + pythonCreated, Fixtures.countAccounts(sdk) - before)
            }
        }
        result.notes += "The Python SDK version benchmarked has a synchronous client only (no asyncio client yet): it runs on $CONCURRENCY threads, " +
            "which take turns on the GIL. Rounds last about $seconds s each; per-operation figures are per create + get (2 calls)."
    }

    private suspend fun pair(client: DataverseClient, i: Int, created: AtomicLong): Boolean {
        val id = client.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
        created.incrementAndGet()
        return client.records.get(Fixtures.TABLE, id).id == id
    }

    private fun describe(sample: RoundSample): String =
        "%,d ops in %,.0f ms: %,.0f ops/s, %.1f µs CPU/op, %d connections".format(
            sample.operations, sample.wallNanos / 1e6, sample.throughput, sample.cpuMicrosPerOp, sample.connections,
        )

    companion object {
        const val CONCURRENCY = 16
        private const val OURS = "this SDK suspend c=16"
        private const val PYTHON = "python-sdk sync 16 threads"

        /** Long enough for a few hundred of Python's operations per round, so that neither CPU clock's tick matters. */
        private const val ROUND_SECONDS = 2.0
        private const val QUICK_ROUND_SECONDS = 0.5

        /** Operations this SDK runs before the alternating warm-up rounds, in full mode. */
        private const val JIT_WARMUP_OPERATIONS = 8_000
    }
}
