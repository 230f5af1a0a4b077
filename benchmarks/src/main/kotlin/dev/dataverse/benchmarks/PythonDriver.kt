package dev.dataverse.benchmarks

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import java.io.BufferedReader
import java.io.BufferedWriter
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

/** One round of the Python driver, as it prints it: operations, those verified, wall and CPU seconds (getrusage). */
@Serializable
data class PythonRound(
    val ops: Long = 0,
    val verified: Long = 0,
    @SerialName("wall_s") val wallSeconds: Double = 0.0,
    @SerialName("cpu_s") val cpuSeconds: Double = 0.0,
    val errors: List<String> = emptyList(),
)

/**
 * The `python-sdk` scenario's Python process: `dataverse_sdk_driver.py` (a resource of this module) on [PYTHON], which
 * drives Microsoft's Python SDK and stays up between rounds, as a long-running application would.
 */
class PythonDriver private constructor(private val process: Process, private val log: Path, private val script: Path) : AutoCloseable {
    private val input: BufferedWriter = process.outputStream.bufferedWriter()
    private val output: BufferedReader = process.inputStream.bufferedReader()

    /** Runs the workload for about [seconds] and returns the round as the driver measured it. */
    fun run(seconds: Double): PythonRound {
        input.write("run $seconds\n")
        input.flush()
        val line = output.readLine() ?: throw IllegalStateException("the Python driver exited: ${logTail()}")
        return json.decodeFromString(PythonRound.serializer(), line)
    }

    fun logTail(): String = runCatching { Files.readAllLines(log).takeLast(20).joinToString("\n") }.getOrDefault("<no log>")

    override fun close() {
        runCatching {
            input.write("quit\n")
            input.flush()
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS)
        runCatching { Files.deleteIfExists(log) }
        runCatching { Files.deleteIfExists(script) }
    }

    companion object {
        /** Debian's interpreter, whose packages provide the SDK's dependencies (requests, azure-core, azure-identity, pandas). */
        const val PYTHON: String = "/usr/bin/python3"

        /** The environment variable naming the directory that holds the SDK's `PowerPlatform` package (the clone's `src`). */
        const val SDK_VARIABLE: String = "DATAVERSE_PYTHON_SDK"

        private val json = Json { ignoreUnknownKeys = true }

        /**
         * Why the scenario cannot run here, or null when [python] runs and imports the SDK (from [sdk], the directory of
         * [SDK_VARIABLE], or from its own packages when null) and its dependencies.
         */
        fun unavailable(python: Path = Paths.get(PYTHON), sdk: String? = System.getenv(SDK_VARIABLE)): String? {
            if (!Files.isExecutable(python)) return "$python not found (Debian's python3)"
            val script = extractScript()
            try {
                val process = ProcessBuilder(listOf(python.toString(), script.toString(), "--check") + sdkArgs(sdk)).redirectErrorStream(true).start()
                val text = process.inputStream.bufferedReader().readText().trim()
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly()
                    return "the SDK's import check did not finish within 60 s"
                }
                if (process.exitValue() == 0 && text.lines().lastOrNull() == "ok") return null
                val where = sdk?.let { "$SDK_VARIABLE=$it" } ?: "$SDK_VARIABLE not set"
                return "the SDK or its dependencies do not import ($where): ${text.lines().lastOrNull().orEmpty()}; see benchmarks/python-sdk-setup.sh"
            } finally {
                Files.deleteIfExists(script)
            }
        }

        /**
         * Starts the driver against [baseUrl] with [threads] worker threads, behind [prefix] (e.g. `taskset -c 1`), and
         * waits until it has made its first create + get.
         */
        fun start(baseUrl: String, threads: Int, prefix: List<String>): PythonDriver {
            val script = extractScript()
            val log = Files.createTempFile("benchmark-python-", ".log")
            val command = prefix + listOf(PYTHON, script.toString(), "--url", baseUrl, "--threads", threads.toString()) + sdkArgs()
            val process = ProcessBuilder(command).redirectError(log.toFile()).start()
            val driver = PythonDriver(process, log, script)
            val first = driver.output.readLine()
            if (first != "ready") {
                val tail = driver.logTail()
                driver.close()
                throw IllegalStateException("the Python driver did not start (it printed '$first'): $tail")
            }
            return driver
        }

        private fun sdkArgs(sdk: String? = System.getenv(SDK_VARIABLE)): List<String> = sdk?.takeIf { it.isNotBlank() }?.let { listOf("--sdk-src", it) }.orEmpty()

        private fun extractScript(): Path {
            val script = Files.createTempFile("dataverse_sdk_driver-", ".py")
            val resource = PythonDriver::class.java.getResourceAsStream("/python/dataverse_sdk_driver.py")
                ?: throw IllegalStateException("the resource python/dataverse_sdk_driver.py is missing")
            resource.use { Files.copy(it, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING) }
            return script
        }
    }
}
