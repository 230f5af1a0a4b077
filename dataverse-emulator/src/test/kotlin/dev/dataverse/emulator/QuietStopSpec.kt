package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import java.io.IOException
import java.net.Socket
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/**
 * Stopping the emulator prints nothing: it runs inside its users' own test JVMs (through dataverse-junit, or started by
 * hand), so whatever its server logs while stopping lands in their test output. The emulator stops with idle keep-alive
 * connections (spread over its server's event loops) and requests in flight, as it does at the end of a test class; it
 * still cuts the requests in flight off, their clients seeing the connection end without an answer.
 */
class QuietStopSpec : FunSpec({
    test("stopping with idle keep-alive connections and requests in flight logs no warning and no stack trace") {
        val printed = capturingStandardError {
            repeat(ROUNDS) { stopWhileServing() }
        }
        printed.lines().filter { line -> NOISE.any { it in line } }.shouldBeEmpty()
    }
})

private const val ROUNDS = 12
private const val IDLE_CONNECTIONS = 8
private val NOISE = listOf("WARN", "ERROR", "Exception", "\tat ")

/** Starts an emulator, serves requests on several connections, and stops it with a handler and a delayed request in flight. */
private suspend fun stopWhileServing() {
    val emulator = DataverseEmulator.start()
    val started = AtomicInteger()
    val release = CountDownLatch(1)
    emulator.registerCustomApi(
        CustomApi("sample_Wait", isFunction = false) {
            started.incrementAndGet()
            release.await()
            emptyMap()
        },
    )
    emulator.faults().add(FaultRule(FaultKind.LATENCY, pathPattern = "accounts", latencyMillis = 600_000))
    val sockets = ArrayList<Socket>()
    try {
        repeat(IDLE_CONNECTIONS) {
            val socket = RawHttp.connect(emulator.port).also(sockets::add)
            send(socket, emulator, "GET /api/data/v9.2/WhoAmI")
            RawHttp.read(socket.getInputStream()).status shouldBe 200
        }
        val stuck = RawHttp.connect(emulator.port).also(sockets::add)
        send(stuck, emulator, "POST /api/data/v9.2/sample_Wait", "{}")
        val delayed = RawHttp.connect(emulator.port).also(sockets::add)
        send(delayed, emulator, "GET /api/data/v9.2/accounts")
        awaitUntil("the handler to start and the delayed request to be admitted") { started.get() == 1 && emulator.stats.inFlight == 2 }

        emulator.close()

        shouldThrow<IOException> { RawHttp.read(stuck.getInputStream()) }
        shouldThrow<IOException> { RawHttp.read(delayed.getInputStream()) }
    } finally {
        release.countDown()
        sockets.forEach(Socket::close)
        emulator.close()
    }
}

private fun send(socket: Socket, emulator: DataverseEmulator, requestLine: String, body: String? = null) {
    val bytes = body?.toByteArray() ?: ByteArray(0)
    val head = "$requestLine HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: Bearer t\r\n" +
        (if (body == null) "" else "Content-Type: application/json\r\nContent-Length: ${bytes.size}\r\n") + "\r\n"
    socket.getOutputStream().apply {
        write(head.toByteArray(Charsets.ISO_8859_1))
        write(bytes)
        flush()
    }
}
