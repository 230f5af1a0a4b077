package dev.dataverse.transport

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.transport.ResponseBudget
import dev.dataverse.internal.transport.WireRequest
import dev.dataverse.internal.transport.cio.CioWireTransport
import dev.dataverse.internal.transport.cio.waitUntil
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import javax.net.ServerSocketFactory
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Idle connections of `httpEngine(HttpEngine.CIO)` go away on their own, without a further call: one its server closed
 * (RFC 9112 §9.6: a server may close an idle connection at any time) is closed by the client too instead of sitting in
 * `CLOSE_WAIT`; one idle past the client's idle timeout, or past the `timeout` of the server's `Keep-Alive` header (MDN,
 * "Keep-Alive" header: "the time in seconds that the host will allow an idle connection to remain open before it is
 * closed"), is closed by the client and the server reads the end of its stream. Closing the client closes every idle
 * connection. Closes are waited for with a generous limit that only guards against a hang; no speed is asserted.
 */
class CioIdleConnectionSpec : FunSpec({
    val tls = TestTls.serverContext.serverSocketFactory
    val http = DataverseEmulator.start()
    val https = DataverseEmulator.start(EmulatorOptions(tls = true))
    afterSpec {
        http.close()
        https.close()
    }
    val schemes = listOf("http" to ServerSocketFactory.getDefault(), "https" to tls)

    fun transport(scheme: String, idleTimeout: Duration) =
        CioWireTransport(8, 10.seconds, if (scheme == "https") TestTls.trustManager else null, idleTimeout)

    suspend fun CioWireTransport.get(url: String): Int =
        execute(WireRequest("GET", url, listOf("Authorization" to "Bearer t"), RequestBody.None, 30.seconds), 1L shl 20, ResponseBudget(1L shl 30)).status

    for ((scheme, factory) in schemes) {
        test("over $scheme, a connection the server closes while idle is closed without any further call") {
            val served = CopyOnWriteArrayList<Socket>()
            RawServer(factory) { served += it.socket; it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
                transport(scheme, 1.hours).use { transport ->
                    val url = "$scheme://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI"
                    transport.get(url) shouldBe 200
                    transport.idleConnections shouldBe 1
                    served.single().close()
                    waitUntil("the client closes the connection its server closed") { transport.idleConnections == 0 }
                    transport.get(url) shouldBe 200
                    server.connections.get() shouldBe 2
                }
            }
        }

        test("over $scheme, a connection idle past the client's idle timeout is closed without any further call") {
            RawServer(factory) { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
                transport(scheme, 300.milliseconds).use { transport ->
                    transport.get("$scheme://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI") shouldBe 200
                    waitUntil("the client closes its idle connection") { transport.idleConnections == 0 }
                    waitUntil("the server reads the end of the stream") { server.hangUps.get() == 1 }
                }
            }
        }
    }

    test("Keep-Alive: timeout=1 from the server is honoured: the connection is closed by the client, though its own idle timeout is an hour") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I, "Connection" to "keep-alive", "Keep-Alive" to "timeout=1, max=100"); true }.use { server ->
            transport("http", 1.hours).use { transport ->
                transport.get("http://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI") shouldBe 200
                waitUntil("the client closes the connection the server keeps for a second") { server.hangUps.get() == 1 }
                transport.idleConnections shouldBe 0
            }
        }
    }

    test("a Keep-Alive timeout longer than the client's idle timeout does not keep a connection longer") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I, "Keep-Alive" to "timeout=3600"); true }.use { server ->
            transport("http", 300.milliseconds).use { transport ->
                transport.get("http://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI") shouldBe 200
                waitUntil("the client closes its idle connection") { server.hangUps.get() == 1 }
            }
        }
    }

    test("Keep-Alive: timeout=0 means the connection is not kept: each call opens a new one") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I, "Connection" to "keep-alive", "Keep-Alive" to "timeout=0"); true }.use { server ->
            transport("http", 1.hours).use { transport ->
                repeat(2) {
                    transport.get("http://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI") shouldBe 200
                    transport.idleConnections shouldBe 0
                }
                server.connections.get() shouldBe 2
            }
        }
    }

    test("without a Keep-Alive header the connection is kept and reused") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
            transport("http", 1.hours).use { transport ->
                repeat(3) { transport.get("http://127.0.0.1:${server.port}/api/data/v9.2/WhoAmI") shouldBe 200 }
                transport.idleConnections shouldBe 1
                server.connections.get() shouldBe 1
            }
        }
    }

    test("closing the client closes every idle connection") {
        RawServer {
            // Slow enough that calls in flight together each need a connection of their own.
            Thread.sleep(50)
            it.respond(200, RawExchange.WHO_AM_I)
            true
        }.use { server ->
            val client = DataverseClient {
                environmentUrl("http://127.0.0.1:${server.port}")
                token("t")
                httpEngine(HttpEngine.CIO)
                retry(RetryOptions(maxAttempts = 1))
            }
            client.use { coroutineScope { repeat(4) { launch { client.whoAmI() } } } }
            val opened = server.connections.get()
            withClue("connections opened") { opened shouldBeGreaterThan 1 }
            waitUntil("the server reads the end of every connection") { server.hangUps.get() == opened }
        }
    }

    context("against the emulator") {
        for ((scheme, emulator) in listOf("http" to http, "https" to https)) {
            test("over $scheme, a connection idle past the idle timeout is closed without a call; the next call opens a new one") {
                val accepted = emulator.stats.connectionsAccepted
                CioWireTransport(8, 10.seconds, emulator.takeIf { it.certificate != null }?.clientTrustManager(), 300.milliseconds).use { transport ->
                    transport.get("${emulator.apiUrl}/WhoAmI") shouldBe 200
                    waitUntil("the client closes its idle connection") { transport.idleConnections == 0 }
                    transport.get("${emulator.apiUrl}/WhoAmI") shouldBe 200
                }
                emulator.stats.connectionsAccepted - accepted shouldBe 2L
            }
        }
    }
})
