package dev.dataverse.benchmarks

import dev.dataverse.HttpEngine
import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * Scenario 2: https with a simulated network. A second emulator serves https (its own self-signed certificate) behind a
 * [DelayProxy] adding [ONE_WAY_MILLIS] each way (20 ms round trip), so a connection's cost shows: a TCP handshake and a
 * TLS handshake of one or two round trips before the first request. Gets through the SDK's default transport, through
 * Ktor CIO, and through the bare JDK client, sequentially and 16 in flight: latency per call and connections per call.
 * Target: sequential latency on the default transport ≤ 1.1 × (RTT + server time), the server time being the bare JDK
 * client's latency against the same emulator without the proxy.
 */
class TlsRttScenario : Scenario {
    override val id = "tls-rtt"
    override val title = "2. https with a 20 ms round trip: default transport vs CIO vs the bare JDK HttpClient"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        EmulatorProcess.start(BenchmarkMain.EMULATOR_ARGS, tls = true, pinning = context.pinning).use { emulator ->
            val ssl = checkNotNull(emulator.sslContext)
            val trust = checkNotNull(emulator.trustManager)
            ProxyProcess.start(emulator.baseUrl, ONE_WAY_MILLIS, context.pinning).use { proxy ->
                result.setup += "Emulator with --tls (self-signed certificate, TLS 1.3 for the JDK clients, TLS 1.2 for Ktor CIO; no ALPN, so " +
                    "HTTP/1.1) in its own JVM, behind a delay proxy in a third JVM adding $ONE_WAY_MILLIS ms each way, also to new " +
                    "connections' TCP handshake. Clients trust the certificate through an SSLContext (SDK sslContext(context, trustManager), " +
                    "HttpClient.sslContext); Ktor CIO runs its own TLS on the trust manager of that pair."
                val proxied = proxy.baseUrl
                Fixtures.sdkClient(proxied, HttpEngine.JDK, ssl).use { sdk ->
                    Fixtures.sdkClient(proxied, HttpEngine.CIO, ssl, trust).use { cio ->
                        val raw = RawJdkClient(proxied, ssl)
                        val direct = RawJdkClient(emulator.baseUrl, ssl)
                        Fixtures.sdkClient(emulator.baseUrl, HttpEngine.JDK, ssl).use { seeder ->
                            val seeded = if (sizes.quick) QUICK_SEED_RECORDS else SEED_RECORDS
                            val ids = Fixtures.seedAccounts(seeder, seeded)
                            for (concurrency in listOf(1, 16)) {
                                val operations = if (sizes.quick) QUICK_OPERATIONS * concurrency else FULL_OPERATIONS * concurrency
                                // Quick mode only proves the variants work: no warm-up round.
                                val warmupRounds = if (sizes.quick) 0 else 1
                                val variants = mutableListOf(
                                    Variant("tls sdk-default c=$concurrency", concurrency, Loads.suspending(concurrency) { i ->
                                        val id = ids[i % ids.size]
                                        sdk.records.get(Fixtures.TABLE, id).id == id
                                    }, operations, operations),
                                    Variant("tls sdk-cio c=$concurrency", concurrency, Loads.suspending(concurrency) { i ->
                                        val id = ids[i % ids.size]
                                        cio.records.get(Fixtures.TABLE, id).id == id
                                    }, operations, operations),
                                    Variant("tls raw-jdk c=$concurrency", concurrency, Loads.suspending(concurrency) { i ->
                                        val id = ids[i % ids.size]
                                        (raw.get(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                                    }, operations, operations),
                                )
                                if (concurrency == 1) {
                                    variants += Variant("tls raw-jdk no proxy c=1", 1, Loads.suspending(1) { i ->
                                        val id = ids[i % ids.size]
                                        (direct.get(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                                    }, operations, operations)
                                }
                                context.log(" https get c=$concurrency, ${2 * ONE_WAY_MILLIS} ms RTT")
                                val rounds = if (sizes.quick) 1 else FULL_ROUNDS
                                val measured = Rounds.interleave(variants, warmupRounds, rounds, null, context.log, emulator::connectionsAccepted)
                                variants.forEach { result.variant(it.name, it.concurrency, measured.getValue(it.name), unit = "get") }
                                variants.filter { it.name.contains("sdk-") }.forEach { result.connectionTarget(it.name, measured.getValue(it.name), it.concurrency) }
                                if (concurrency == 1) latencyTarget(result, measured)
                            }
                            result.check("records seeded over https, counted in the emulator", seeded.toLong(), Fixtures.countAccounts(seeder))
                        }
                    }
                }
            }
        }
    }

    private fun latencyTarget(result: ScenarioResult, measured: Map<String, Measurement>) {
        val rtt = 2.0 * ONE_WAY_MILLIS
        val server = measured.getValue("tls raw-jdk no proxy c=1").millisPerOp.median
        val bound = TARGET_FACTOR * (rtt + server)
        val latency = measured.getValue("tls sdk-default c=1").samples.map { it.millisPerOp }
        val figure = SpreadFigure.of(latency)
        result.figures += ExtraFigure(
            "latency per call, default transport, c=1 (RTT %.0f ms + server %.2f ms)".format(rtt, server), figure, "ms",
            "≤ %.1f".format(bound), figure.median <= bound,
        )
        // The same bound's ratio to the bare client's latency through the proxy: steadier on a loaded machine.
        result.ratioAtMost(
            "latency per call, default transport / bare JDK, c=1",
            measured.getValue("tls sdk-default c=1").samples.zip(measured.getValue("tls raw-jdk c=1").samples) { a, b -> a.millisPerOp / b.millisPerOp },
            TARGET_FACTOR,
        )
        for (name in listOf("tls sdk-cio c=1", "tls raw-jdk c=1")) {
            result.figure("latency per call, ${name.removePrefix("tls ")}", measured.getValue(name).samples.map { it.millisPerOp }, "ms")
        }
    }

    /** The [DelayProxy] in its own JVM, on the server CPU when pinned. */
    private class ProxyProcess(private val child: ChildJvm.Child, val baseUrl: String) : AutoCloseable {
        override fun close() = child.close()

        companion object {
            fun start(upstreamUrl: String, oneWayMillis: Long, pinning: CpuPinning): ProxyProcess {
                val upstreamPort = upstreamUrl.substringAfterLast(':').toInt()
                val child = ChildJvm.start(
                    "delay-proxy", listOf("-Xmx128m"), DelayProxyMain::class.java.name, listOf(upstreamPort.toString(), oneWayMillis.toString()),
                    pinning.serverPrefix(),
                )
                val port = CompletableFuture<Int>()
                child.readLines { line -> line.trim().toIntOrNull()?.let(port::complete) }
                    .whenComplete { _, _ -> port.completeExceptionally(IllegalStateException("the delay proxy exited: ${child.logTail()}")) }
                return try {
                    ProxyProcess(child, upstreamUrl.substringBeforeLast(':') + ":" + port.get(60, TimeUnit.SECONDS))
                } catch (e: Exception) {
                    child.close()
                    throw IllegalStateException("The delay proxy did not start: ${child.logTail()}", e)
                }
            }
        }
    }

    private companion object {
        const val ONE_WAY_MILLIS = 10L
        const val TARGET_FACTOR = 1.1
        const val SEED_RECORDS = 64
        const val QUICK_SEED_RECORDS = 16
        const val QUICK_OPERATIONS = 2
        const val FULL_OPERATIONS = 60
        const val FULL_ROUNDS = 5
    }
}
