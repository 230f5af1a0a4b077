package dev.dataverse.transport

import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ServerSocketFactory

/**
 * A loopback HTTP/1.1 server that answers as it is told, byte for byte: the hostile or broken server the emulator will
 * not be (endless bodies, half-written responses, redirects, silence, echoed tokens). Each connection runs [handle] on
 * its own thread for every request head read from it, until the handler returns false or the client hangs up.
 */
class RawServer(
    factory: ServerSocketFactory = ServerSocketFactory.getDefault(),
    private val handle: (exchange: RawExchange) -> Boolean,
) : AutoCloseable {
    private val server: ServerSocket = factory.createServerSocket(0, 100, InetAddress.getLoopbackAddress())
    private val sockets = CopyOnWriteArrayList<Socket>()

    /** Connections accepted so far. */
    val connections = AtomicInteger()

    /**
     * Connections the client ended while the server waited for a request: the end of the stream was read (not the server
     * closing, nor a reset). Lets tests see that a client closed an idle connection.
     */
    val hangUps = AtomicInteger()

    /** Request heads read so far. */
    val requests = CopyOnWriteArrayList<String>()

    val port: Int get() = server.localPort

    init {
        acceptConnections(server, "raw-server", connections, sockets) { socket, _ -> daemon("raw-server-connection") { serve(socket) } }
    }

    private fun serve(socket: Socket) = socket.use {
        val input = socket.getInputStream()
        val output = socket.getOutputStream()
        while (true) {
            val head = try {
                readHead(input)
            } catch (_: java.io.IOException) {
                return
            }
            if (head == null) {
                hangUps.incrementAndGet()
                return
            }
            requests += head
            val length = Regex("(?im)^content-length:\\s*(\\d+)").find(head)?.groupValues?.get(1)?.toInt() ?: 0
            val body = input.readNBytes(length)
            val keepGoing = runCatching { handle(RawExchange(head, body, input, output, socket)) }.getOrDefault(false)
            if (!keepGoing) return
        }
    }

    private fun readHead(input: InputStream): String? {
        val bytes = java.io.ByteArrayOutputStream()
        var tail = 0
        while (true) {
            val b = input.read()
            if (b < 0) return null
            bytes.write(b)
            tail = (tail shl 8) or b
            if (tail == 0x0d0a0d0a) return bytes.toString(Charsets.ISO_8859_1)
        }
    }

    override fun close() {
        server.close()
        sockets.forEach { runCatching { it.close() } }
    }
}

/** One request the [RawServer] read, and the means to answer it. */
class RawExchange(val head: String, val body: ByteArray, val input: InputStream, val output: OutputStream, val socket: Socket) {
    val requestLine: String get() = head.substringBefore("\r\n")

    fun header(name: String): String? = Regex("(?im)^${Regex.escape(name)}:\\s*(.*?)\\r?$").find(head)?.groupValues?.get(1)

    /** Writes a complete response with a Content-Length. */
    fun respond(status: Int, body: String, vararg headers: Pair<String, String>) {
        val bytes = body.toByteArray()
        val text = buildString {
            append("HTTP/1.1 $status X\r\n")
            append("Content-Type: application/json\r\n")
            headers.forEach { (name, value) -> append("$name: $value\r\n") }
            append("Content-Length: ${bytes.size}\r\n\r\n")
        }
        output.write(text.toByteArray(Charsets.ISO_8859_1))
        output.write(bytes)
        output.flush()
    }

    /** Writes raw bytes. */
    fun write(text: String) {
        output.write(text.toByteArray(Charsets.ISO_8859_1))
        output.flush()
    }

    companion object {
        const val WHO_AM_I = """{"UserId":"11111111-2222-3333-4444-555555555555","BusinessUnitId":"11111111-2222-3333-4444-555555555555","OrganizationId":"11111111-2222-3333-4444-555555555555"}"""
    }
}
