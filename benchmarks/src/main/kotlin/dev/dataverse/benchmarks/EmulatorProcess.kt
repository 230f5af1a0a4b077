package dev.dataverse.benchmarks

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * The emulator in its own JVM (`EmulatorMain`), so that its CPU time is not counted as the client's and its garbage
 * collector pauses only itself. It prints its base URL on standard output when ready.
 */
class EmulatorProcess private constructor(private val child: ChildJvm.Child, val baseUrl: String) : AutoCloseable {

    /** Clears every table through the emulator's admin API (`POST /_emulator/reset`); false when it has none. */
    fun reset(): Boolean = runCatching {
        // The admin API takes JSON POSTs only (a browser cannot send those cross-site).
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/_emulator/reset")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build()
        admin.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() in 200..299
    }.getOrDefault(false)

    val isAlive: Boolean get() = child.process.isAlive

    fun logTail(): String = child.logTail()

    override fun close() = child.close()

    override fun toString(): String = "emulator process ${child.process.pid()} at $baseUrl"

    companion object {
        private val admin: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

        /** JVM options of the emulator: heap for a few hundred thousand records. */
        val JVM_ARGS: List<String> = listOf("-Xmx3g", "-Xss512k")

        /** Starts an emulator with [args] (EmulatorMain's options) and waits until it prints its URL. */
        fun start(args: List<String>): EmulatorProcess {
            val child = ChildJvm.start("emulator", JVM_ARGS, "dev.dataverse.emulator.EmulatorMain", args)
            val url = CompletableFuture<String>()
            val output = child.readLines { line -> if (line.startsWith("http://")) url.complete(line.trim()) }
            output.whenComplete { _, _ -> url.completeExceptionally(IllegalStateException("the emulator exited before printing its URL")) }
            return try {
                EmulatorProcess(child, url.get(60, TimeUnit.SECONDS))
            } catch (e: Exception) {
                val reason = if (e is TimeoutException) "did not print its URL within 60 s" else (e.cause ?: e).toString()
                val exit = if (child.process.isAlive) "running" else "exit code ${child.process.exitValue()}"
                val tail = child.logTail()
                child.close()
                throw IllegalStateException("The emulator ($exit) $reason. Arguments: $args. Its log:\n$tail", e)
            }
        }
    }
}
