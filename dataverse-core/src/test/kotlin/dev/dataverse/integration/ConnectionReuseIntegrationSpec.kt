package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/**
 * Connection reuse, read from the emulator's own counters (`connectionsAccepted`, `tlsHandshakes`) rather than from the
 * client, on both engines, over http and over https: sequential calls (writes and reads) share one connection, and many
 * calls at [IN_FLIGHT] in flight open about [IN_FLIGHT] connections, not one per call (Ktor's own CIO client engine
 * opened one per request: KTOR-7009). Counts only; no timing.
 */
class ConnectionReuseIntegrationSpec : FunSpec({
    val http = DataverseEmulator.start()
    val https = DataverseEmulator.start(EmulatorOptions(tls = true))
    afterSpec {
        http.close()
        https.close()
    }

    fun client(emulator: DataverseEmulator, engine: HttpEngine) = DataverseClient {
        environmentUrl(emulator.baseUrl)
        token("t")
        httpEngine(engine)
        if (emulator.certificate != null) sslContext(emulator.clientSslContext(), emulator.clientTrustManager())
    }

    /** [calls] gets of one record from [IN_FLIGHT] coroutines; returns how many read the record back. */
    suspend fun getsInFlight(client: DataverseClient, id: UUID, calls: Int): Int {
        val read = AtomicInteger()
        coroutineScope {
            repeat(IN_FLIGHT) { worker ->
                launch {
                    for (i in worker until calls step IN_FLIGHT) {
                        if (client.records.get("account", id).id == id) read.incrementAndGet()
                    }
                }
            }
        }
        return read.get()
    }

    for (engine in listOf(HttpEngine.JDK, HttpEngine.CIO)) {
        for ((scheme, emulator) in listOf("http" to http, "https" to https)) {
            test("$engine makes $SEQUENTIAL sequential creates and gets over $scheme on one connection") {
                val connections = emulator.stats.connectionsAccepted
                val handshakes = emulator.stats.tlsHandshakes
                val requests = emulator.stats.requests
                client(emulator, engine).use { client ->
                    repeat(SEQUENTIAL / 2) { i ->
                        val id = client.records.create("account", mapOf("name" to "sequential $i"))
                        client.records.get("account", id).id shouldBe id
                    }
                }
                // The first write also reads the table's metadata.
                emulator.stats.requests - requests shouldBeGreaterThanOrEqual SEQUENTIAL.toLong()
                withClue("connections opened for $SEQUENTIAL sequential calls on $engine over $scheme") {
                    emulator.stats.connectionsAccepted - connections shouldBe 1L
                }
                emulator.stats.tlsHandshakes - handshakes shouldBe if (scheme == "https") 1L else 0L
            }

            test("$engine makes $CALLS gets at $IN_FLIGHT in flight over $scheme on at most $MAX_CONNECTIONS connections") {
                client(emulator, engine).use { client ->
                    val id = client.records.create("account", mapOf("name" to "reused over $scheme"))
                    val connections = emulator.stats.connectionsAccepted
                    val handshakes = emulator.stats.tlsHandshakes
                    val requests = emulator.stats.requests

                    getsInFlight(client, id, CALLS) shouldBe CALLS

                    emulator.stats.requests - requests shouldBe CALLS.toLong()
                    val opened = emulator.stats.connectionsAccepted - connections
                    withClue("connections opened for $CALLS calls at $IN_FLIGHT in flight") { opened shouldBeLessThanOrEqual MAX_CONNECTIONS }
                    val completed = emulator.stats.tlsHandshakes - handshakes
                    if (scheme == "https") {
                        withClue("TLS handshakes for $CALLS calls") { completed shouldBeLessThanOrEqual MAX_CONNECTIONS }
                    } else {
                        completed shouldBe 0L
                    }
                }
            }
        }
    }
}) {
    private companion object {
        const val IN_FLIGHT = 16
        const val CALLS = 2_000

        /** [IN_FLIGHT] plus a small margin: a pooled connection the server closes between calls is replaced. */
        const val MAX_CONNECTIONS = IN_FLIGHT + 4L

        /** Sequential calls (half creates, half gets) that must share one connection. */
        const val SEQUENTIAL = 200
    }
}
