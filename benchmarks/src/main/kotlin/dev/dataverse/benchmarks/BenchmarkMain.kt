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
 * (one of [SCENARIOS]' or [OPT_IN_SCENARIOS]' ids), `--out PATH` (default `benchmark-results.json`), `--client-cpus N` (run the client in a
 * JVM that sees N CPUs), `--no-one-cpu-pass`.
 *
 * After the scenarios, the [ONE_CPU_SCENARIOS] run again in a client JVM that sees one CPU (`-XX:ActiveProcessorCount=1`,
 * pinned to one), as in most service containers: there `CompletableFuture`'s default async pool starts a thread per task,
 * and a client that hops through it starts a thread per call. Their reports are added with the id suffix `-1cpu`.
 */
object BenchmarkMain {
    val SCENARIOS: List<Scenario> = listOf(
        JdkBaselineScenario(), TlsRttScenario(), FacadesScenario(), BulkScenario(), StreamingScenario(), ServiceProtectionScenario(),
    )

    /**
     * Scenarios that run only when named with `--scenario`, never by default nor in quick mode's test: they need tools
     * outside the JDK (`python-sdk`: Debian's python3 and Microsoft's Python SDK, set up by `benchmarks/python-sdk-setup.sh`).
     */
    val OPT_IN_SCENARIOS: List<Scenario> = listOf(PythonSdkScenario())

    /** Options every scenario's emulator gets: a DOP hint above the benchmarks' concurrency of 32. */
    val EMULATOR_ARGS: List<String> = listOf("--dop-hint", "52")

    /** Scenarios run again in the one-CPU pass: the per-call costs of the transport and the facades. */
    val ONE_CPU_SCENARIOS: List<String> = listOf("vs-jdk", "facades")

    class Options(
        val quick: Boolean,
        val scenarios: List<Scenario>,
        val out: Path,
        val command: String,
        /** The CPUs the client JVM must see, or null for this JVM's. */
        val clientCpus: Int? = null,
        val oneCpuPass: Boolean = true,
        val args: List<String> = emptyList(),
    )

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
        val cpus = options.clientCpus
        if (cpus != null && Runtime.getRuntime().availableProcessors() != cpus) exitProcess(relaunch(options.args, cpus))
        val report = run(options) { println(it) }
        println()
        println(ReportWriter.table(report))
        println("JSON written to ${options.out.toAbsolutePath().normalize()}")
        check(report.correct) { "Some scenarios failed: ${report.scenarios.filterNot { it.correct }.joinToString { it.id }}" }
    }

    /** Parses the command line; null for `--help`. */
    fun parse(args: Array<String>): Options? {
        var quick = false
        var clientCpus: Int? = null
        var oneCpuPass = true
        var names: List<String>? = null
        var out: Path = Paths.get("benchmark-results.json")
        val queue = ArrayDeque(args.flatMap { if (it.startsWith("--") && '=' in it) listOf(it.substringBefore('='), it.substringAfter('=')) else listOf(it) })
        while (queue.isNotEmpty()) {
            when (val option = queue.removeFirst()) {
                "--quick" -> quick = true
                "--scenario" -> names = (queue.removeFirstOrNull() ?: throw IllegalArgumentException("--scenario needs a name")).split(',').map { it.trim() }
                "--out" -> out = Paths.get(queue.removeFirstOrNull() ?: throw IllegalArgumentException("--out needs a path"))
                "--client-cpus" -> clientCpus = (queue.removeFirstOrNull() ?: throw IllegalArgumentException("--client-cpus needs a number"))
                    .toIntOrNull()?.takeIf { it > 0 } ?: throw IllegalArgumentException("--client-cpus needs a positive number")
                "--no-one-cpu-pass" -> oneCpuPass = false
                "--help", "-h" -> return null
                else -> throw IllegalArgumentException("unknown option '$option'")
            }
        }
        val scenarios = names?.map { name ->
            (SCENARIOS + OPT_IN_SCENARIOS).firstOrNull { it.id == name }
                ?: throw IllegalArgumentException("unknown scenario '$name'; one of ${(SCENARIOS + OPT_IN_SCENARIOS).joinToString { it.id }}")
        } ?: SCENARIOS
        // A client that already sees a chosen number of CPUs is the pass, not the one that starts it.
        return Options(quick, scenarios, out, "benchmarks " + args.joinToString(" "), clientCpus, oneCpuPass && clientCpus == null, args.toList())
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
        val oneCpu = if (options.oneCpuPass) oneCpuPass(options, log) else emptyList()
        val report = BenchmarkReport(if (sizes.quick) "quick" else "full", date, machine, options.command, reports + oneCpu, pinning.toString())
        ReportWriter.write(report, options.out)
        return report
    }

    /**
     * Runs [ONE_CPU_SCENARIOS] (those of them [options] selected) again in a client JVM that sees one CPU, and returns
     * their reports with the id suffix `-1cpu`. A pass that fails is one failed scenario report, like any other.
     */
    private fun oneCpuPass(options: Options, log: (String) -> Unit): List<ScenarioReport> {
        val ids = options.scenarios.map { it.id }.filter { it in ONE_CPU_SCENARIOS }
        if (ids.isEmpty()) return emptyList()
        log("")
        log("== One-CPU pass: ${ids.joinToString()} in a client JVM started with -XX:ActiveProcessorCount=1")
        val out = java.nio.file.Files.createTempFile("benchmark-1cpu-", ".json")
        val args = listOfNotNull("--quick".takeIf { options.quick }) + listOf("--client-cpus", "1", "--scenario", ids.joinToString(","), "--out", out.toString())
        val started = System.nanoTime()
        val code = ChildJvm.start("one-cpu", listOf("-XX:ActiveProcessorCount=1"), BenchmarkMain::class.java.name, args).use { child ->
            child.readLines { log("  | $it") }.join()
            child.process.waitFor()
        }
        val reports = runCatching { ReportWriter.fromJson(java.nio.file.Files.readString(out)).scenarios }.getOrNull()
        java.nio.file.Files.deleteIfExists(out)
        if (code != 0 || reports == null) {
            return listOf(
                ScenarioReport(
                    id = "one-cpu-pass", title = "One-CPU pass", setup = emptyList(), correct = false,
                    error = "the one-CPU client JVM exited with $code${if (reports == null) " and wrote no report" else ""}",
                    seconds = (System.nanoTime() - started) / 1e9,
                ),
            )
        }
        return reports.map { it.copy(id = "${it.id}-1cpu", title = "${it.title} — client JVM sees 1 CPU") }
    }

    /** Runs this main again in a JVM that sees [cpus] CPUs, with the same arguments; returns its exit code. */
    private fun relaunch(args: List<String>, cpus: Int): Int =
        ChildJvm.start("client-$cpus-cpu", listOf("-XX:ActiveProcessorCount=$cpus"), BenchmarkMain::class.java.name, args).use { child ->
            child.readLines { println(it) }.join()
            child.process.waitFor().also { code -> if (code != 0) System.err.println(child.logTail()) }
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
            correct = result.correct(error),
            error = error, skipped = result.skipped, variants = result.variants, ratios = result.ratios, figures = result.figures,
            checks = result.checks, notes = result.notes, seconds = seconds, loadAverage = listOf(loadAtStart, loadAverage()),
        )
    }

    private fun loadAverage(): Double = java.lang.management.ManagementFactory.getOperatingSystemMXBean().systemLoadAverage

    private val USAGE = """
        Usage: benchmarks [--quick] [--scenario NAME[,NAME...]] [--out PATH] [--client-cpus N] [--no-one-cpu-pass]
          --quick            small sizes and one round: checks that every scenario works (counts), measures nothing useful
          --scenario NAME    run only these scenarios: ${SCENARIOS.joinToString(", ") { it.id }}; also, only when named,
                             ${OPT_IN_SCENARIOS.joinToString(", ") { it.id }} (see benchmarks/python-sdk-setup.sh)
          --out PATH         where to write the JSON report (default benchmark-results.json)
          --client-cpus N    run the client in a JVM that sees N CPUs (-XX:ActiveProcessorCount=N)
          --no-one-cpu-pass  skip the second run of ${ONE_CPU_SCENARIOS.joinToString(", ")} in a client JVM that sees 1 CPU
    """.trimIndent()
}
