package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.BufferedReader
import java.nio.file.Path
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The standalone emulator in a child JVM with a small heap ([HEAP_MB] MiB, `-XX:+ExitOnOutOfMemoryError`, so running
 * out of memory ends the process instead of leaving it half alive) receives endless chunked POSTs with the default
 * body cap (128 MiB): each is cut off with 413 `0x8004418a`, the emulator stays up, and it answers the next request.
 */
class HostileBodyMemorySpec : FunSpec({
    test("endless chunked POSTs, two at once, do not exhaust a $HEAP_MB MiB emulator, which keeps answering") {
        val java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        val process = ProcessBuilder(
            java, "-Xmx${HEAP_MB}m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
            "dev.dataverse.emulator.EmulatorMain", "--port", "0", "--token", "t",
        ).redirectErrorStream(true).start()
        val output = process.inputStream.bufferedReader()
        try {
            val baseUrl = generateSequence { output.readLine() }.first { it.startsWith("http://") }
            val port = baseUrl.substringAfterLast(':').toInt()
            val limit = 128L * 1024 * 1024
            val pool = Executors.newFixedThreadPool(2)
            val results = try {
                List(2) { pool.submit(Callable { RawHttp.endlessChunkedPost(port, "/api/data/v9.2/accounts", "Bearer t", maxBytes = 8 * limit) }) }
                    .map { it.get() }
            } finally {
                pool.shutdownNow()
            }
            for ((answer, written) in results) {
                answer.shouldNotBeNull().status shouldBe 413
                answer.body shouldContain "0x8004418a"
                written shouldBeLessThan 8 * limit
            }
            // Together they were let in no further than the emulator's budget for bodies being read: about one cap.
            results.sumOf { it.second } shouldBeGreaterThan limit / 2
            process.isAlive shouldBe true
            val next = RawHttp.exchange(port, "GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nAuthorization: Bearer t\r\nConnection: close")
            next.status shouldBe 200
            next.body shouldContain "UserId"
        } finally {
            process.destroy()
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
            drain(output)
        }
    }
}) {
    companion object {
        const val HEAP_MB = 256

        private fun drain(output: BufferedReader) = runCatching { output.close() }
    }
}
