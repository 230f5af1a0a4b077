package dev.dataverse.benchmarks

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * The emulator in its own JVM (`EmulatorMain`), so that its CPU time is not counted as the client's and its garbage
 * collector pauses only itself. It prints its base URL on standard output when ready. With `--tls` it serves https and
 * writes its certificate (`--cert-out`), which [certificate], [trustManager] and [sslContext] expose to the clients.
 */
class EmulatorProcess private constructor(
    private val child: ChildJvm.Child,
    val baseUrl: String,
    /** The emulator's self-signed certificate when it serves https; null over http. */
    val certificate: X509Certificate?,
) : AutoCloseable {
    /** The trust manager trusting the emulator's certificate alone; null over http. Ktor CIO takes it with [sslContext]. */
    val trustManager: X509TrustManager? = certificate?.let(::trusting)

    /** A client TLS context built on [trustManager]; null over http. */
    val sslContext: SSLContext? = trustManager?.let { tm -> SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) } }

    private val admin: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .apply { sslContext?.let(::sslContext) }.build()

    /** Clears every table and counter through the emulator's admin API (`POST /_emulator/reset`); false when it has none. */
    fun reset(): Boolean = runCatching {
        // The admin API takes JSON POSTs only (a browser cannot send those cross-site).
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/_emulator/reset")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build()
        admin.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() in 200..299
    }.getOrDefault(false)

    /**
     * TCP connections the emulator has accepted (`GET /_emulator/stats`). The admin client keeps its one connection
     * alive, so reading the counter adds nothing after the first read.
     */
    fun connectionsAccepted(): Long = stat("connectionsAccepted")

    /** A counter of `GET /_emulator/stats`, e.g. `serviceProtectionRefusals`. */
    fun stat(name: String): Long {
        val request = HttpRequest.newBuilder(URI.create("$baseUrl/_emulator/stats")).timeout(Duration.ofSeconds(30)).build()
        val body = admin.send(request, HttpResponse.BodyHandlers.ofString()).body()
        return Json.parseToJsonElement(body).jsonObject.getValue(name).jsonPrimitive.long
    }

    val isAlive: Boolean get() = child.process.isAlive

    fun logTail(): String = child.logTail()

    override fun close() = child.close()

    override fun toString(): String = "emulator process ${child.process.pid()} at $baseUrl"

    companion object {
        /** JVM options of the emulator: heap for a few hundred thousand records. */
        val JVM_ARGS: List<String> = listOf("-Xmx3g", "-Xss512k")

        /**
         * Starts an emulator with [args] (EmulatorMain's options) and waits until it prints its URL; with [tls], serving
         * https. [pinning] puts it on the server CPU.
         */
        fun start(args: List<String>, tls: Boolean = false, pinning: CpuPinning = CpuPinning.NONE): EmulatorProcess {
            val certificateFile: Path? = if (tls) Files.createTempFile("benchmark-emulator-", ".pem") else null
            val allArgs = args + (certificateFile?.let { listOf("--tls", "--cert-out", it.toString()) } ?: emptyList())
            val child = ChildJvm.start("emulator", JVM_ARGS, "dev.dataverse.emulator.EmulatorMain", allArgs, pinning.serverPrefix())
            val url = CompletableFuture<String>()
            val output = child.readLines { line -> if (line.startsWith("http://") || line.startsWith("https://")) url.complete(line.trim()) }
            output.whenComplete { _, _ -> url.completeExceptionally(IllegalStateException("the emulator exited before printing its URL")) }
            return try {
                val baseUrl = url.get(60, TimeUnit.SECONDS)
                val certificate = certificateFile?.let { file ->
                    Files.newInputStream(file).use { CertificateFactory.getInstance("X.509").generateCertificate(it) as X509Certificate }
                }
                EmulatorProcess(child, baseUrl, certificate)
            } catch (e: Exception) {
                val reason = if (e is TimeoutException) "did not print its URL within 60 s" else (e.cause ?: e).toString()
                val exit = if (child.process.isAlive) "running" else "exit code ${child.process.exitValue()}"
                val tail = child.logTail()
                child.close()
                throw IllegalStateException("The emulator ($exit) $reason. Arguments: $allArgs. Its log:\n$tail", e)
            } finally {
                certificateFile?.let { runCatching { Files.deleteIfExists(it) } }
            }
        }

        private fun trusting(certificate: X509Certificate): X509TrustManager {
            val store = KeyStore.getInstance("PKCS12").apply {
                load(null, null)
                setCertificateEntry("dataverse-emulator", certificate)
            }
            val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            factory.init(store)
            return factory.trustManagers.filterIsInstance<X509TrustManager>().single()
        }
    }
}
