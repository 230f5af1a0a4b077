package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.lang.management.ManagementFactory
import java.net.InetAddress
import java.net.Socket
import javax.net.ssl.SSLSocket

/**
 * The `--tls` front serves any number of open connections with the same few threads: connections that completed their
 * handshake and connections that never start one cost no thread each, and every one of them still gets its answers.
 * Thread counts are the JVM's own (ThreadMXBean); the bound checked is far below one thread per connection.
 */
class TlsFrontSpec : FunSpec({
    val threads = ManagementFactory.getThreadMXBean()

    fun request(socket: Socket): RawHttp.Answer {
        socket.getOutputStream().apply {
            write("GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: 127.0.0.1:${socket.port}\r\nAuthorization: Bearer t\r\n\r\n".toByteArray())
            flush()
        }
        return RawHttp.read(socket.getInputStream())
    }

    test("150 open https connections and 50 silent TCP ones add no thread per connection, and each is served") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            val factory = emulator.clientSslContext().socketFactory
            val warm = (factory.createSocket(InetAddress.getLoopbackAddress(), emulator.port) as SSLSocket).apply { soTimeout = RawHttp.READ_TIMEOUT_MILLIS }
            request(warm).status shouldBe 200
            val before = threads.threadCount
            val open = ArrayList<Socket>()
            try {
                repeat(50) { open += Socket(InetAddress.getLoopbackAddress(), emulator.port) }
                repeat(150) {
                    val socket = factory.createSocket(InetAddress.getLoopbackAddress(), emulator.port) as SSLSocket
                    socket.soTimeout = RawHttp.READ_TIMEOUT_MILLIS
                    socket.startHandshake()
                    open += socket
                }
                awaitUntil("every handshake counted") { emulator.stats.tlsHandshakes == 151L }
                val added = threads.threadCount - before
                added shouldBeLessThan 40
                // Every open connection is still served, in any order, on its own connection.
                open.filterIsInstance<SSLSocket>().reversed().forEach { socket ->
                    val answer = request(socket)
                    answer.status shouldBe 200
                    answer.body shouldContain "UserId"
                }
                emulator.stats.connectionsAccepted shouldBe 201L
            } finally {
                open.forEach { runCatching { it.close() } }
                warm.close()
            }
        }
    }
})
