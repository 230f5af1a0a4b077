package dev.dataverse.transport

import java.io.DataInputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.SSLServerSocket
import javax.net.ssl.SSLSocket

/**
 * The smallest HTTP/2 server that can misbehave on cue (RFC 9113): TLS with ALPN `h2`, the connection preface, SETTINGS
 * and their acknowledgements, and for each request (a HEADERS frame) whatever [answer] does with the stream: reset it,
 * send GOAWAY, or answer `200` with a body. Request headers are not decoded; responses use the HPACK static table only.
 */
class Http2Server(private val answer: (Http2Stream) -> Unit) : AutoCloseable {
    private val server: ServerSocket = TestTls.serverContext.serverSocketFactory.createServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val sockets = CopyOnWriteArrayList<java.net.Socket>()
    val connections = AtomicInteger()
    val requests = AtomicInteger()
    val port: Int get() = server.localPort

    init {
        (server as SSLServerSocket).sslParameters = server.sslParameters.apply { applicationProtocols = arrayOf("h2") }
        acceptConnections(server, "h2-server", connections, sockets) { socket, number ->
            daemon("h2-connection") {
                runCatching { serve(socket as SSLSocket, number) }
                runCatching { socket.close() }
            }
        }
    }

    private fun serve(socket: SSLSocket, connection: Int) {
        socket.startHandshake()
        check(socket.applicationProtocol == "h2") { "ALPN chose '${socket.applicationProtocol}'" }
        val input = DataInputStream(socket.inputStream)
        val output = socket.outputStream
        input.readFully(ByteArray(24)) // PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n
        frame(output, SETTINGS, 0, 0, ByteArray(0))
        while (true) {
            val header = ByteArray(9)
            input.readFully(header)
            val length = (header[0].toInt() and 0xff shl 16) or (header[1].toInt() and 0xff shl 8) or (header[2].toInt() and 0xff)
            val type = header[3].toInt()
            val flags = header[4].toInt()
            val stream = java.nio.ByteBuffer.wrap(header, 5, 4).int and 0x7fffffff
            input.readFully(ByteArray(length))
            when {
                type == SETTINGS && flags and ACK == 0 -> frame(output, SETTINGS, ACK, 0, ByteArray(0))
                type == HEADERS -> {
                    requests.incrementAndGet()
                    answer(Http2Stream(output, stream, connection))
                }
            }
        }
    }

    override fun close() {
        server.close()
        sockets.forEach { runCatching { it.close() } }
    }

    companion object {
        const val HEADERS = 1
        const val RST_STREAM = 3
        const val SETTINGS = 4
        const val GOAWAY = 7
        const val DATA = 0
        const val ACK = 1

        fun frame(output: OutputStream, type: Int, flags: Int, stream: Int, payload: ByteArray) = synchronized(output) {
            val header = java.nio.ByteBuffer.allocate(9)
            header.put((payload.size shr 16).toByte()).put((payload.size shr 8).toByte()).put(payload.size.toByte())
            header.put(type.toByte()).put(flags.toByte()).putInt(stream)
            output.write(header.array())
            output.write(payload)
            output.flush()
        }
    }
}

/** One request stream of the [Http2Server], on the [connection]-th connection. */
class Http2Stream(private val output: OutputStream, val id: Int, val connection: Int) {
    /** RST_STREAM with INTERNAL_ERROR. */
    fun reset() = Http2Server.frame(output, Http2Server.RST_STREAM, 0, id, java.nio.ByteBuffer.allocate(4).putInt(2).array())

    /** GOAWAY naming this stream as the last one processed, then the connection closes: the request's fate is unknown. */
    fun goAwayAndClose() {
        Http2Server.frame(output, Http2Server.GOAWAY, 0, 0, java.nio.ByteBuffer.allocate(8).putInt(id).putInt(2).array())
        output.close()
    }

    /** `:status 200` (static table index 8) and [body] with END_STREAM. */
    fun ok(body: String) {
        Http2Server.frame(output, Http2Server.HEADERS, 0x4, id, byteArrayOf(0x88.toByte()))
        Http2Server.frame(output, Http2Server.DATA, 0x1, id, body.toByteArray())
    }
}
