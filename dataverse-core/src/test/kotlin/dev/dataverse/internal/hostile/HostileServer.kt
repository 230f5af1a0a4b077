package dev.dataverse.internal.hostile

import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread

/**
 * A deliberately simple HTTP/1.1 server on loopback that answers whatever its script says and records every request
 * exactly as it arrived on the socket. Unlike Ktor's MockEngine, which hands over a parsed request, it sees the bytes
 * a client wrote: a request smuggled into a URL by CRLF shows up here as a second request, as a real server or proxy
 * would read it.
 */
internal class HostileServer(private val script: (Received) -> String) : AutoCloseable {
    /** One request as parsed from the wire: its request line, raw head and method/target. */
    class Received(val head: String) {
        val requestLine: String = head.substringBefore("\r\n")
        val method: String = requestLine.substringBefore(' ')
        val target: String = requestLine.substringAfter(' ').substringBeforeLast(' ')

        /** The API root as this request addressed it (`http://<Host>/api/data/v9.2`), to build links a script answers with. */
        val apiUrl: String = "http://" + head.lineSequence().first { it.startsWith("Host:", ignoreCase = true) }.substringAfter(':').trim() +
            "/api/data/v9.2"
        override fun toString(): String = requestLine
    }

    private val socket = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val connections = CopyOnWriteArrayList<Socket>()

    /** Every request read from the wire, in arrival order. */
    val received: MutableList<Received> = CopyOnWriteArrayList()

    /** The environment URL of this server. */
    val url: String = "http://127.0.0.1:${socket.localPort}"

    init {
        thread(isDaemon = true, name = "hostile-server-acceptor") {
            while (!socket.isClosed) {
                val connection = try {
                    socket.accept()
                } catch (e: IOException) {
                    break
                }
                connections += connection
                thread(isDaemon = true, name = "hostile-server-connection") { serve(connection) }
            }
        }
    }

    private fun serve(connection: Socket) = try {
        connection.use {
            val input = connection.getInputStream().buffered()
            val output = connection.getOutputStream()
            while (true) {
                val head = readHead(input) ?: break
                val length = head.lineSequence().firstOrNull { it.startsWith("content-length:", ignoreCase = true) }
                    ?.substringAfter(':')?.trim()?.toIntOrNull() ?: 0
                input.readNBytes(length)
                val request = Received(head)
                received += request
                output.write(script(request).toByteArray(Charsets.UTF_8))
                output.flush()
            }
        }
    } catch (e: IOException) {
        // The client went away; nothing to answer.
    }

    /** The bytes up to the blank line ending a request head, or `null` at the end of the stream. */
    private fun readHead(input: InputStream): String? {
        val head = ByteArrayOutputStream()
        var matched = 0
        while (matched < 4) {
            val b = input.read()
            if (b < 0) return null
            head.write(b)
            matched = if (b == "\r\n\r\n"[matched].code) matched + 1 else if (b == '\r'.code) 1 else 0
        }
        return head.toString(Charsets.ISO_8859_1)
    }

    override fun close() {
        socket.close()
        connections.forEach { runCatching { it.close() } }
    }

    companion object {
        /** A complete HTTP/1.1 response with a JSON body. */
        fun json(body: String, status: String = "200 OK", vararg headers: Pair<String, String>): String =
            response(status, body, listOf("Content-Type" to "application/json; odata.metadata=minimal") + headers)

        fun response(status: String, body: String, headers: List<Pair<String, String>>): String {
            val bytes = body.toByteArray(Charsets.UTF_8)
            return buildString {
                append("HTTP/1.1 ").append(status).append("\r\n")
                headers.forEach { (name, value) -> append(name).append(": ").append(value).append("\r\n") }
                append("Content-Length: ").append(bytes.size).append("\r\n\r\n").append(body)
            }
        }
    }
}
