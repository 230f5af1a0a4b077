package dev.dataverse.benchmarks

import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

/** Median and spread (min..max over the rounds), and the value of each round in the order they ran. */
@Serializable
data class SpreadFigure(val median: Double, val min: Double, val max: Double, val rounds: Int, val values: List<Double> = emptyList()) {
    companion object {
        fun of(values: List<Double>): SpreadFigure = Spread.of(values).let { SpreadFigure(it.median, it.min, it.max, it.n, values) }
    }
}

/** One measured variant. */
@Serializable
data class VariantFigure(
    val name: String,
    val concurrency: Int,
    val operationsPerRound: Long,
    /** What one operation is, e.g. "record" or "get". */
    val unit: String,
    /** Operations per second of wall-clock time. */
    val throughput: SpreadFigure,
    /** Client process CPU time per operation (all threads: application, JIT compilers, GC), µs. */
    val cpuMicrosPerOp: SpreadFigure,
    /** Client application threads' CPU time per operation (without JIT compilers and GC), µs. */
    val threadCpuMicrosPerOp: SpreadFigure,
    val note: String? = null,
    /** Wall-clock ms per operation: the latency of a call at concurrency 1. */
    val latencyMillis: SpreadFigure? = null,
    /** Heap bytes allocated per operation by the client's live threads. */
    val allocatedBytesPerOp: SpreadFigure? = null,
    /** Context switches per operation, all client threads (Linux `/proc/self/task/∗/status`). */
    val contextSwitchesPerOp: SpreadFigure? = null,
    /** TCP connections the emulator accepted per operation. */
    val connectionsPerOp: SpreadFigure? = null,
    /** The most connections the emulator accepted in one measured round (steady state: at most the concurrency). */
    val connectionsPerRound: Long? = null,
    /** Threads the client JVM started per operation (steady state: none). */
    val threadsStartedPerOp: SpreadFigure? = null,
    /**
     * [threadCpuMicrosPerOp] per thread role (names with numbers as `#`), for roles that used at least
     * [ReportWriter.MIN_ROLE_MICROS] µs per operation: on which threads a call's work runs.
     */
    val threadCpuMicrosPerOpByRole: Map<String, SpreadFigure>? = null,
)

/** A ratio between two variants, from interleaved rounds, with the issue's target when there is one. */
@Serializable
data class RatioFigure(
    val name: String,
    val value: SpreadFigure,
    /** E.g. "≥ 0.90". */
    val target: String? = null,
    val met: Boolean? = null,
)

/** A correctness check: counts, never timings. */
@Serializable
data class CheckFigure(val name: String, val expected: Long, val actual: Long, val ok: Boolean = expected == actual)

/** A single figure that is neither a variant nor a ratio (peak heap, rows/s...). */
@Serializable
data class ExtraFigure(val name: String, val value: SpreadFigure, val unit: String, val target: String? = null, val met: Boolean? = null)

@Serializable
data class ScenarioReport(
    val id: String,
    val title: String,
    /** Where the emulator ran and what the CPU figure counts. */
    val setup: List<String>,
    val correct: Boolean,
    val error: String? = null,
    /** Why the scenario did not run on this machine (e.g. a tool it needs is missing); null when it ran. */
    val skipped: String? = null,
    val variants: List<VariantFigure> = emptyList(),
    val ratios: List<RatioFigure> = emptyList(),
    val figures: List<ExtraFigure> = emptyList(),
    val checks: List<CheckFigure> = emptyList(),
    val notes: List<String> = emptyList(),
    val seconds: Double = 0.0,
    /** The machine's 1-minute load average when the scenario started and ended: how busy the machine was (2 cores = 2.0). */
    val loadAverage: List<Double> = emptyList(),
)

@Serializable
data class MachineInfo(
    val cores: Int,
    val cpuModel: String?,
    val memoryGiB: Double?,
    val os: String,
    val jvm: String,
    val clientMaxHeapMiB: Long,
) {
    companion object {
        fun current(): MachineInfo {
            val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
            val cpuModel = runCatching {
                Files.readAllLines(Paths.get("/proc/cpuinfo")).firstOrNull { it.startsWith("model name") }?.substringAfter(':')?.trim()
            }.getOrNull()
            return MachineInfo(
                cores = Runtime.getRuntime().availableProcessors(),
                cpuModel = cpuModel,
                memoryGiB = Math.round(os.totalMemorySize / 1024.0 / 1024 / 1024 * 10) / 10.0,
                os = "${System.getProperty("os.name")} ${System.getProperty("os.version")} ${System.getProperty("os.arch")}",
                jvm = "${System.getProperty("java.vm.name")} ${System.getProperty("java.runtime.version")} (${System.getProperty("java.vendor")})",
                clientMaxHeapMiB = Runtime.getRuntime().maxMemory() / 1024 / 1024,
            )
        }
    }
}

@Serializable
data class BenchmarkReport(
    val mode: String,
    /** ISO-8601, UTC. */
    val date: String,
    val machine: MachineInfo,
    val command: String,
    val scenarios: List<ScenarioReport>,
    /** Whether the emulator and the client were pinned to different CPUs (taskset), and to which. */
    val pinning: String? = null,
) {
    val correct: Boolean get() = scenarios.all { it.correct }

    companion object {
        fun now(): String = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
    }
}

/** The console table and the JSON file. */
object ReportWriter {
    /** Thread roles using less CPU than this per operation are left out of a variant's figures. */
    const val MIN_ROLE_MICROS: Double = 1.0

    /** The most thread roles the console table shows per variant (the JSON has all of them). */
    private const val MAX_ROLES_SHOWN = 4

    private val json = Json {
        prettyPrint = true
        encodeDefaults = true
    }

    fun toJson(report: BenchmarkReport): String = json.encodeToString(BenchmarkReport.serializer(), report)

    fun fromJson(text: String): BenchmarkReport = json.decodeFromString(BenchmarkReport.serializer(), text)

    fun write(report: BenchmarkReport, path: Path) {
        path.toAbsolutePath().parent?.let { Files.createDirectories(it) }
        Files.writeString(path, toJson(report) + "\n")
    }

    /** A plain-text table, also valid inside a Markdown code block. */
    fun table(report: BenchmarkReport): String = buildString {
        val m = report.machine
        appendLine("Dataverse client benchmarks — ${report.mode} mode, ${report.date}")
        appendLine("Machine: ${m.cores} cores${m.cpuModel?.let { " ($it)" } ?: ""}, ${m.memoryGiB} GiB, ${m.os}; ${m.jvm}")
        appendLine("Figures: median [min..max] over interleaved rounds. CPU per operation, of the client JVM only (the emulator runs in its own):")
        appendLine("app-thread CPU = its Java threads (ThreadMXBean); process CPU = all of it, JIT compilers and GC included (OperatingSystemMXBean).")
        appendLine("ms/op = wall time per call (latency at concurrency 1); KB/op = heap allocated by the client's threads; ctxsw/op = context")
        appendLine("switches of the client's threads; conn/op = TCP connections the emulator accepted per call; thr/op = threads the")
        appendLine("client JVM started per call (medians).")
        report.pinning?.let { appendLine("CPU pinning: $it") }
        if (report.mode == "quick") appendLine("QUICK MODE: sizes far too small (and JIT cold) for meaningful figures; only the checks count.")
        for (scenario in report.scenarios) {
            appendLine()
            appendLine(
                "== ${scenario.title} (${scenario.id}) — ${scenario.skipped?.let { "skipped: ${it.replace("%", "%%")}" } ?: if (scenario.correct) "correct" else "FAILED"}, %.0f s, load average %s"
                    .format(scenario.seconds, scenario.loadAverage.joinToString(" → ") { "%.1f".format(it) }),
            )
            scenario.setup.forEach { appendLine("   $it") }
            scenario.error?.let { appendLine("   ERROR: $it") }
            if (scenario.variants.isNotEmpty()) {
                appendLine(
                    "   %-34s %4s %8s  %-22s %-22s %-22s %9s %7s %9s %8s %7s".format(
                        "variant", "conc", "ops/rnd", "throughput /s", "app-thread CPU µs/op", "process CPU µs/op",
                        "ms/op", "KB/op", "ctxsw/op", "conn/op", "thr/op",
                    ),
                )
                for (v in scenario.variants) {
                    appendLine(
                        "   %-34s %4d %8d  %-22s %-22s %-22s %9s %7s %9s %8s %7s".format(
                            v.name, v.concurrency, v.operationsPerRound, spread(v.throughput, "%,.0f"),
                            spread(v.threadCpuMicrosPerOp, "%.1f"), spread(v.cpuMicrosPerOp, "%.1f"),
                            v.latencyMillis?.let { "%.2f".format(it.median) } ?: "-",
                            v.allocatedBytesPerOp?.let { "%.1f".format(it.median / 1024) } ?: "-",
                            v.contextSwitchesPerOp?.let { "%.2f".format(it.median) } ?: "-",
                            v.connectionsPerOp?.let { "%.3f".format(it.median) } ?: "-",
                            v.threadsStartedPerOp?.let { "%.3f".format(it.median) } ?: "-",
                        ),
                    )
                    v.threadCpuMicrosPerOpByRole?.takeIf { it.isNotEmpty() }?.let { roles ->
                        val shown = roles.entries.sortedByDescending { it.value.median }.take(MAX_ROLES_SHOWN)
                        appendLine("     app-thread CPU µs/op by thread: " + shown.joinToString(", ") { (role, figure) -> "$role %.1f".format(figure.median) })
                    }
                    v.note?.let { appendLine("     ($it)") }
                }
            }
            for (r in scenario.ratios) {
                appendLine("   %-62s %-26s %s".format(r.name, spread(r.value, "%.2f"), targetText(r.target, r.met)))
            }
            for (f in scenario.figures) {
                appendLine("   %-62s %-26s %s".format(f.name, spread(f.value, "%,.1f") + " " + f.unit, targetText(f.target, f.met)))
            }
            val failed = scenario.checks.filterNot { it.ok }
            if (scenario.skipped == null) appendLine(
                "   checks: ${scenario.checks.size - failed.size}/${scenario.checks.size} passed" +
                    failed.joinToString("") { "; FAILED ${it.name}: expected ${it.expected}, got ${it.actual}" },
            )
            scenario.notes.forEach { appendLine("   note: $it") }
        }
        val targets = report.scenarios.flatMap { s ->
            s.ratios.filter { it.target != null }.map { Triple(it.name, it.target!!, it.met to "%.2f".format(it.value.median)) } +
                s.figures.filter { it.target != null }.map { Triple(it.name, it.target!!, it.met to "%,.1f %s".format(it.value.median, it.unit)) }
        }
        if (targets.isNotEmpty()) {
            appendLine()
            appendLine("== Targets (read from this run, never asserted)")
            for ((name, target, result) in targets) {
                appendLine("   %-62s %-22s %-8s %s".format(name, result.second, target, if (result.first == true) "met" else "MISSED"))
            }
        }
    }

    private fun spread(s: SpreadFigure, format: String): String =
        if (s.rounds == 1) format.format(s.median) else "${format.format(s.median)} [${format.format(s.min)}..${format.format(s.max)}]"

    private fun targetText(target: String?, met: Boolean?): String =
        if (target == null) "" else "target $target: ${if (met == true) "met" else "MISSED"}"
}
