package dev.dataverse.transport

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.emulator.DataverseEmulator
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withContext
import java.net.URI

/**
 * Connections opened for many calls, counted by a TCP proxy between the client and the emulator: the default transport
 * keeps its connections alive and reuses them; CIO 3.5.2 opens one per request (see [HttpEngine.CIO]).
 */
class ConnectionReuseSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    afterSpec { emulator.close() }

    suspend fun run(engine: HttpEngine, calls: Int, inFlight: Int): Int = CountingProxy(URI(emulator.baseUrl).port).use { proxy ->
        DataverseClient {
            environmentUrl("http://127.0.0.1:${proxy.port}")
            token("t")
            httpEngine(engine)
        }.use { client ->
            val permits = Semaphore(inFlight)
            val answers = withContext(Dispatchers.Default) {
                coroutineScope { (1..calls).map { async { permits.withPermit { client.whoAmI() } } }.awaitAll() }
            }
            answers.size shouldBe calls
        }
        proxy.connections.get()
    }

    test("2,000 calls at 16 in flight open about 16 connections on the default transport, not one per call") {
        val opened = run(HttpEngine.JDK, calls = 2_000, inFlight = 16)
        println("2,000 calls at 16 in flight on the default transport opened $opened connections")
        // A connection is back in the pool a moment after its response completes, so a call may occasionally find
        // none free and open another: a little slack over the 16 in flight, nowhere near one per call.
        opened shouldBeLessThanOrEqual 24
        opened shouldBeGreaterThan 0
    }

    test("CIO opens a connection per request (KTOR-7009), as its documentation says") {
        val opened = run(HttpEngine.CIO, calls = 200, inFlight = 4)
        println("200 calls at 4 in flight on CIO opened $opened connections")
        opened shouldBeGreaterThan 150
    }
})
