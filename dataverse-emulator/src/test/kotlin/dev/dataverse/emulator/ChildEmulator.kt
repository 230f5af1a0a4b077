package dev.dataverse.emulator

import java.io.BufferedReader
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The standalone emulator ([EmulatorMain]) in a child JVM with a heap of [heapMb] MiB and `-XX:+ExitOnOutOfMemoryError`,
 * so that running out of memory ends the process instead of leaving it half alive. [close] stops it with SIGTERM (and
 * kills it if that does not work, so a broken emulator never outlives the build).
 */
class ChildEmulator(heapMb: Int, vararg args: String) : AutoCloseable {
    val process: Process = ProcessBuilder(
        listOf(java(), "-Xmx${heapMb}m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), EmulatorMain::class.java.name) +
            args,
    ).redirectErrorStream(true).start()
    private val output: BufferedReader = process.inputStream.bufferedReader()

    /** The base URL the emulator printed when ready. */
    val baseUrl: String = generateSequence { output.readLine() }.firstOrNull { it.startsWith("http://") }
        ?: error("The child emulator ended before printing its URL (exit ${process.waitFor()})")
    val port: Int = baseUrl.substringAfterLast(':').toInt()

    init {
        // Keeps reading what the child prints, so a full pipe never blocks it.
        Thread({ runCatching { output.forEachLine { } } }, "child-emulator-output").apply { isDaemon = true }.start()
    }

    /** Sends SIGTERM and returns whether the process ended within [seconds] (a hang guard, not a timing limit). */
    fun terminate(seconds: Long = HANG_GUARD_SECONDS): Boolean {
        process.destroy()
        return process.waitFor(seconds, TimeUnit.SECONDS)
    }

    override fun close() {
        if (!terminate()) process.destroyForcibly().waitFor()
    }

    private companion object {
        const val HANG_GUARD_SECONDS = 30L

        fun java(): String = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())
    }
}
