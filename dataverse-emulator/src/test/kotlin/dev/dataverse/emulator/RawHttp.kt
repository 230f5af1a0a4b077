package dev.dataverse.emulator

import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.Socket
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread

/**
 * HTTP/1.1 on a bare socket, for requests no well-behaved client sends: a declared length the body never reaches, an
 * endless chunked body, a forged Host. [READ_TIMEOUT_MILLIS] only keeps a broken emulator from hanging the build; it
 * is no performance limit.
 */
object RawHttp {
    const val READ_TIMEOUT_MILLIS = 60_000

    /** The status line and headers of a response, and as much of its body as [Content-Length] says. */
    class Answer(val statusLine: String, val headers: Map<String, String>, val body: String) {
        val status: Int get() = statusLine.split(' ')[1].toInt()
        override fun toString(): String = "$statusLine $headers $body"
    }

    fun connect(port: Int): Socket = Socket(InetAddress.getLoopbackAddress(), port).apply { soTimeout = READ_TIMEOUT_MILLIS }

    /** Writes [head] (request line and headers, without the blank line) and [body], then reads the answer. */
    fun exchange(port: Int, head: String, body: ByteArray = ByteArray(0)): Answer = connect(port).use { socket ->
        socket.getOutputStream().apply {
            write("$head\r\n\r\n".toByteArray(Charsets.ISO_8859_1))
            write(body)
            flush()
        }
        read(socket.getInputStream())
    }

    /**
     * Sends a chunked POST to [path] that never ends (until [maxBytes]) on a writer thread, reads the answer on this one,
     * and returns it with the number of body bytes written, or `null` when the connection ended without one.
     */
    fun endlessChunkedPost(port: Int, path: String, authorization: String, maxBytes: Long): Pair<Answer?, Long> = connect(port).use { socket ->
        val written = AtomicLong()
        val output = socket.getOutputStream()
        output.write(
            ("POST $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nAuthorization: $authorization\r\nContent-Type: application/json\r\n" +
                "Transfer-Encoding: chunked\r\n\r\n").toByteArray(Charsets.ISO_8859_1),
        )
        val writer = thread(isDaemon = true, name = "endless-body") { writeChunks(output, written, maxBytes) }
        val answer = try {
            read(socket.getInputStream())
        } catch (e: IOException) {
            null
        }
        socket.close()
        writer.join()
        answer to written.get()
    }

    private fun writeChunks(output: OutputStream, written: AtomicLong, maxBytes: Long) {
        val chunk = ByteArray(64 * 1024) { '7'.code.toByte() }
        val size = "${Integer.toHexString(chunk.size)}\r\n".toByteArray(Charsets.ISO_8859_1)
        val end = "\r\n".toByteArray(Charsets.ISO_8859_1)
        try {
            while (written.get() < maxBytes) {
                output.write(size)
                output.write(chunk)
                output.write(end)
                written.addAndGet(chunk.size.toLong())
            }
        } catch (e: IOException) {
            // The emulator closed the connection: the point of the exercise.
        }
    }

    fun read(input: InputStream): Answer {
        val head = StringBuilder()
        while (!head.endsWith("\r\n\r\n")) {
            val b = input.read()
            if (b < 0) throw IOException("The connection ended after '${head.take(200)}'")
            head.append(b.toChar())
        }
        val lines = head.trim().split("\r\n")
        val headers = lines.drop(1).associate { it.substringBefore(':').trim().lowercase() to it.substringAfter(':').trim() }
        val length = headers["content-length"]?.toInt() ?: 0
        return Answer(lines[0], headers, String(input.readNBytes(length), Charsets.UTF_8))
    }
}
