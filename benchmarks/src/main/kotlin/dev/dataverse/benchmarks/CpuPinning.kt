package dev.dataverse.benchmarks

import java.nio.file.Files
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

/**
 * Keeps the emulator (and the delay proxy) and the client on different CPUs, so the client's CPU figures are not
 * inflated by the server competing for the same core and the two do not preempt each other. Uses `taskset` (util-linux)
 * when it exists and the machine has at least two CPUs; otherwise nothing is pinned, and the report says so.
 */
class CpuPinning private constructor(
    /** The CPU of the emulator's and proxy's processes; null when not pinned. */
    val serverCpu: Int?,
    /** The CPU of this (the client's) process; null when not pinned. */
    val clientCpu: Int?,
    private val reason: String,
) {
    /** The command prefix that starts a server process on [serverCpu], or nothing. */
    fun serverPrefix(): List<String> = serverCpu?.let { listOf(TASKSET, "-c", it.toString()) }.orEmpty()

    /** The command prefix that starts a client process (one not on the JVM) on [clientCpu], or nothing. */
    fun clientPrefix(): List<String> = clientCpu?.let { listOf(TASKSET, "-c", it.toString()) }.orEmpty()

    override fun toString(): String = reason

    companion object {
        private const val TASKSET = "taskset"

        val NONE: CpuPinning = CpuPinning(null, null, "not pinned")

        /**
         * Pins this process (all its threads, and those it starts later) to the last CPU and returns the pinning, with the
         * server CPU the first one; or [NONE] with the reason when that is not possible.
         */
        fun pinClientAndReserveServer(): CpuPinning {
            val cpus = machineCpus()
            if (cpus < 2) return CpuPinning(null, null, "not pinned: only $cpus CPU")
            val taskset = System.getenv("PATH").orEmpty().split(':').map { Paths.get(it, TASKSET) }.firstOrNull(Files::isExecutable)
                ?: return CpuPinning(null, null, "not pinned: no taskset on the PATH")
            val client = cpus - 1
            val pid = ProcessHandle.current().pid().toString()
            val process = ProcessBuilder(taskset.toString(), "-a", "-p", "-c", client.toString(), pid).redirectErrorStream(true).start()
            val output = process.inputStream.bufferedReader().readText()
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return CpuPinning(null, null, "not pinned: taskset failed: ${output.trim()}")
            }
            return CpuPinning(0, client, "pinned with taskset: emulator and proxy on CPU 0, client on CPU $client")
        }

        /**
         * The CPUs the machine has online. Not `availableProcessors()`: the client JVM of the one-CPU pass is told it
         * sees one (`-XX:ActiveProcessorCount=1`) and runs pinned to one, but its emulator still gets a CPU of its own.
         */
        private fun machineCpus(): Int = runCatching {
            Files.readString(Paths.get("/sys/devices/system/cpu/online")).trim().split(',').sumOf { range ->
                val bounds = range.split('-').map { it.trim().toInt() }
                if (bounds.size == 1) 1 else bounds[1] - bounds[0] + 1
            }
        }.getOrElse { Runtime.getRuntime().availableProcessors() }
    }
}
