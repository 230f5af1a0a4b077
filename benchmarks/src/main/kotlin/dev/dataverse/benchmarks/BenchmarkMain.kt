package dev.dataverse.benchmarks

import java.nio.file.Path
import java.nio.file.Paths
import kotlin.system.exitProcess

/**
 * The benchmark harness: runs the scenarios against an emulator in its own JVM on loopback, prints a table and writes
 * every figure as JSON.
 *
 * ```
 * ./mvnw -q -pl benchmarks -am compile exec:java -Dexec.args="--out benchmarks/results/latest.json"
 * ```
 * Options: `--quick` (small sizes, one round: proves every scenario works, checks counts), `--scenario NAME[,NAME]`
 * (one of [SCENARIOS]' ids), `--out PATH` (default `benchmark-results.json`).
 */
object BenchmarkMain {
    val SCENARIOS: List<Scenario> = listOf(JdkBaselineScenario(), TlsRttScenario(), FacadesScenario(), BulkScenario(), StreamingScenario())

    /** Options every scenario's emulator gets: a DOP hint above the benchmarks' concurrency of 32. */
    val EMULATOR_ARGS: List<String> = listOf("--dop-hint", "52")

    class Options(val quick: Boolean, val scenarios: List<Scenario>, val out: Path, val command: String)

    @JvmStatic
    fun main(args: Array<String>) {
        val options = try {
            parse(args)
        } catch (e: IllegalArgumentException) {
            System.err.println("benchmarks: ${e.message}")
            System.err.println(USAGE)
            exitProcess(2)
        } ?: run {
            println(USAGE)
            return
        }
        val report = run(options) { println(it) }
        println()
        println(ReportWriter.table(report))
        println("JSON written to ${options.out.toAbsolutePath().normalize()}")
        check(report.correct) { "Some scenarios failed: ${report.scenarios.filterNot { it.correct }.joinToString { it.id }}" }
    }

    /** Parses the command line; null for `--help`. */
    fun parse(args: Array<String>): Options? {
        var quick = false
        var names: List<String>? = null
        var out: Path = Paths.get("benchmark-results.json")
        val queue = ArrayDeque(args.flatMap { if (it.startsWith("--") && '=' in it) listOf(it.substringBefore('='), it.substringAfter('=')) else listOf(it) })
        while (queue.isNotEmpty()) {
            when (val option = queue.removeFirst()) {
                "--quick" -> quick = true
                "--scenario" -> names = (queue.removeFirstOrNull() ?: throw IllegalArgumentException("--scenario needs a name")).split(',').map { it.trim() }
                "--out" -> out = Paths.get(queue.removeFirstOrNull() ?: throw IllegalArgumentException("--out needs a path"))
                "--help", "-h" -> return null
                else -> throw IllegalArgumentException("unknown option '$option'")
            }
        }
        val scenarios = names?.map { name ->
            SCENARIOS.firstOrNull { it.id == name } ?: throw IllegalArgumentException("unknown scenario '$name'; one of ${SCENARIOS.joinToString { it.id }}")
        } ?: SCENARIOS
        return Options(quick, scenarios, out, "benchmarks " + args.joinToString(" "))
    }

    /** Runs [options]' scenarios, writes the JSON and returns the report; [log] receives progress lines. */
    fun run(options: Options, log: (String) -> Unit): BenchmarkReport {
        val sizes = if (options.quick) Sizes.QUICK else Sizes.FULL
        val machine = MachineInfo.current()
        val date = BenchmarkReport.now()
        log("Benchmarks (${if (sizes.quick) "quick" else "full"} mode): ${options.scenarios.joinToString { it.id }}")
        // Quick mode runs inside the build's test JVM: it measures nothing, so it leaves the CPUs alone.
        val pinning = if (sizes.quick) CpuPinning.NONE else CpuPinning.pinClientAndReserveServer()
        log("CPU pinning: $pinning")
        val emulatorArgs = EMULATOR_ARGS + options.scenarios.flatMap { it.emulatorArgs(sizes) }
        val reports = EmulatorProcess.start(emulatorArgs, pinning = pinning).use { emulator ->
            log("Started $emulator with ${emulatorArgs.joinToString(" ")}")
            options.scenarios.map { scenario -> runScenario(scenario, ScenarioContext(sizes, emulator, log, pinning)) }
        }
        val report = BenchmarkReport(if (sizes.quick) "quick" else "full", date, machine, options.command, reports, pinning.toString())
        ReportWriter.write(report, options.out)
        return report
    }

    private fun runScenario(scenario: Scenario, context: ScenarioContext): ScenarioReport {
        context.log("")
        context.log("== ${scenario.title}")
        context.emulator.reset() // clear the previous scenario's records, when the emulator offers it
        val result = ScenarioResult()
        val loadAtStart = loadAverage()
        val started = System.nanoTime()
        val error = try {
            scenario.run(context, result)
            null
        } catch (e: Throwable) {
            if (e is VirtualMachineError && e !is OutOfMemoryError) throw e
            context.log("  FAILED: $e")
            e.printStackTrace()
            generateSequence(e) { it.cause }.joinToString(" <- ") { it.toString() }.take(2000) +
                if (!context.emulator.isAlive) "\nEmulator log:\n${context.emulator.logTail()}" else ""
        }
        val seconds = (System.nanoTime() - started) / 1e9
        return ScenarioReport(
            id = scenario.id, title = scenario.title, setup = result.setup,
            correct = error == null && result.checks.isNotEmpty() && result.checks.all { it.ok },
            error = error, variants = result.variants, ratios = result.ratios, figures = result.figures,
            checks = result.checks, notes = result.notes, seconds = seconds, loadAverage = listOf(loadAtStart, loadAverage()),
        )
    }

    private fun loadAverage(): Double = java.lang.management.ManagementFactory.getOperatingSystemMXBean().systemLoadAverage

    private val USAGE = """
        Usage: benchmarks [--quick] [--scenario NAME[,NAME...]] [--out PATH]
          --quick          small sizes and one round: checks that every scenario works (counts), measures nothing useful
          --scenario NAME  run only these scenarios: ${SCENARIOS.joinToString(", ") { it.id }}
          --out PATH       where to write the JSON report (default benchmark-results.json)
    """.trimIndent()
}
