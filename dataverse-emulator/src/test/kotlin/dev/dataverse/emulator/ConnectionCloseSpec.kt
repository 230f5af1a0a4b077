package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.InputStream
import java.net.Socket

class ConnectionCloseSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(syntheticRows = 20_000))
    afterSpec { emulator.close() }

    /** Sends [request] on a fresh socket and returns everything the server wrote before closing. */
    fun exchange(request: String): String = Socket("127.0.0.1", emulator.port).use { socket ->
        socket.getOutputStream().write(request.toByteArray())
        socket.getOutputStream().flush()
        socket.getInputStream().readBytes().toString(Charsets.UTF_8)
    }

    test("a client that asks to close the connection after its request still gets the answer of a slow request") {
        emulator.reset()
        emulator.faults().add(FaultRule(FaultKind.LATENCY, latencyMillis = 200))
        val http11 = exchange("GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n")
        http11.lineSequence().first() shouldBe "HTTP/1.1 200 OK"
        val http10 = exchange("GET /api/data/v9.2/WhoAmI HTTP/1.0\r\nAuthorization: Bearer t\r\n\r\n")
        http10.lineSequence().first() shouldBe "HTTP/1.0 200 OK" // The engine answers in the request's version
        emulator.stats.disconnects shouldBe 0
    }

    test("clients that close the connection right after reading large answers are not counted as disconnects") {
        emulator.reset()
        repeat(10) {
            Socket("127.0.0.1", emulator.port).use { socket ->
                val request = "GET /api/data/v9.2/dv_syntheticrows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n"
                socket.getOutputStream().write(request.toByteArray())
                val input = socket.getInputStream().buffered()
                val head = generateSequence { readLine(input) }.takeWhile { it.isNotEmpty() }.toList()
                head.first() shouldBe "HTTP/1.1 200 OK"
                val length = head.first { it.startsWith("Content-Length:", ignoreCase = true) }.substringAfter(':').trim().toInt()
                input.readNBytes(length).size shouldBe length
            }
        }
        awaitUntil("every request is finished") { emulator.stats.inFlight == 0 }
        emulator.stats.requests shouldBe 10
        emulator.stats.disconnects shouldBe 0
    }
})

private fun readLine(input: InputStream): String {
    val line = StringBuilder()
    while (true) {
        val byte = input.read()
        if (byte < 0 || byte == '\n'.code) return line.toString().removeSuffix("\r")
        line.append(byte.toChar())
    }
}
