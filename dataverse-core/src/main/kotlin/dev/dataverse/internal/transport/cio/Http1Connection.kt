package dev.dataverse.internal.transport.cio

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.transport.BodyAccumulator
import dev.dataverse.internal.transport.ResponseBudget
import dev.dataverse.internal.transport.WireException
import dev.dataverse.internal.transport.WireFailure
import io.ktor.http.cio.parseResponse
import io.ktor.network.sockets.Socket
import io.ktor.network.sockets.isClosed
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.availableForRead
import io.ktor.utils.io.cancel
import io.ktor.utils.io.read
import io.ktor.utils.io.readUTF8Line
import io.ktor.utils.io.writeFully
import java.io.EOFException

/**
 * One HTTP/1.1 connection of [CioWireTransport]: writes a request, reads its response, and says whether the connection
 * can carry the next one. One exchange at a time, never pipelined.
 *
 * A connection is reusable only when the response was read to its exact end: a body framed by `Content-Length` or by
 * chunks, read whole, and no `Connection: close` (nor an HTTP/1.0 answer without `keep-alive`). An exchange that fails,
 * is cancelled, or stops at the body limit leaves the connection unusable: its owner closes it, which abandons the rest
 * of the body instead of draining it (a hostile body could be endless).
 */
internal class Http1Connection(
    private val socket: Socket,
    private val input: ByteReadChannel,
    private val output: ByteWriteChannel,
    /** Where it leads: `scheme://host:port`, the key of the pool it is kept in. */
    val origin: String,
) : AutoCloseable {
    /** Exchanges carried so far; more than 0 means a reused connection. */
    var exchanges: Int = 0
        private set

    /** When the connection was last returned to its pool, in `System.nanoTime()` terms. */
    var idleSince: Long = 0L

    /** How long the connection may stay idle in its pool, the lesser of the pool's limit and the server's (set on return). */
    var idleLimitNanos: Long = 0L

    /**
     * How long the server said, in its latest response, that it keeps the connection idle ([KeepAlive]), less a margin;
     * [Long.MAX_VALUE] when it did not say.
     */
    var serverIdleLimitNanos: Long = Long.MAX_VALUE
        private set

    /** Set by [close] at once; the socket reports itself closed only once its reader and writer have stopped. */
    @Volatile
    private var closeCalled = false

    /** Whether [close] was called or the socket closed. */
    val isClosed: Boolean get() = closeCalled || socket.isClosed

    /** Whether the response to the current exchange has started to arrive (a failure before that hit a closed socket). */
    var responseStarted: Boolean = false
        private set

    /**
     * Whether the connection may carry another exchange now: the peer has not closed it and has sent nothing unasked
     * (a server that closes an idle connection first sends nothing, or a `408`, which is never answered). Reads only
     * state: Ktor's socket reader reads ahead into [input] and closes it at the end of the stream, without a read here.
     */
    fun looksUsable(): Boolean = try {
        !isClosed && !input.isClosedForRead && input.availableForRead == 0
    } catch (_: Exception) {
        // The channel failed (a reset) between the two looks: Ktor's buffer access rethrows its cause.
        false
    }

    /** Sends [request] (its [head] already built) and reads the whole response; see the class for what follows. */
    suspend fun exchange(head: ByteArray, body: RequestBody, headRequest: Boolean, limit: Long, budget: ResponseBudget, target: ByteArray?): Outcome {
        exchanges++
        responseStarted = false
        output.writeFully(head, 0, head.size)
        writeBody(body)
        output.flush()
        while (true) {
            val response = parseResponse(input) ?: throw EOFException("The server closed the connection before it answered")
            responseStarted = true
            val status = response.status
            val headers = try {
                Http1Headers.of(response.headers)
            } finally {
                response.release()
            }
            // Interim answers (103 Early Hints, an unasked 100 Continue) come before the final one: skip them.
            if (status in 100..199 && status != 101) continue
            if (status == 101) throw WireException(WireFailure.BROKEN, "The server switched protocols, which this client never asks for")
            val version = response.version.toString()
            val framing = Framing.of(status, headRequest, headers)
            val accumulator = BodyAccumulator(limit, budget, (framing as? Framing.Length)?.length, target?.takeIf { status in 200..299 })
            try {
                when (framing) {
                    Framing.None -> Unit
                    is Framing.Length -> readExactly(framing.length, accumulator)
                    Framing.Chunked -> readChunked(accumulator)
                    Framing.UntilClose -> readToEnd(accumulator)
                }
                val reusable = framing != Framing.UntilClose && keepsAlive(version, headers["Connection"])
                // Read per response: a server may change its mind, and most never send the header (one lookup then).
                serverIdleLimitNanos = if (reusable && headers["Keep-Alive"] != null) KeepAlive.idleLimitNanos(headers.values("Keep-Alive")) else Long.MAX_VALUE
                return Outcome(ApiResponse(status, headers, Body(accumulator.toByteArray(), 0, accumulator.length.toInt())), reusable)
            } finally {
                accumulator.release()
            }
        }
    }

    private suspend fun writeBody(body: RequestBody) {
        when (body) {
            RequestBody.None -> Unit
            is RequestBody.Bytes -> output.writeFully(body.bytes, 0, body.length)
            is RequestBody.Binary -> {
                var written = 0L
                for (piece in body.binary.pieces()) {
                    var offset = piece.offset
                    val end = piece.offset + piece.length
                    // In slices: the channel copies what it is given until the socket takes it, so a whole chunk at once
                    // would be held twice.
                    while (offset < end) {
                        val count = minOf(WRITE_SLICE, end - offset)
                        output.writeFully(piece.bytes, offset, offset + count)
                        output.flush()
                        offset += count
                    }
                    written += piece.length
                }
                check(written == body.binary.length) { "The body wrote $written bytes, not the declared ${body.binary.length}" }
            }
        }
    }

    private suspend fun readExactly(length: Long, accumulator: BodyAccumulator) {
        var remaining = length
        while (remaining > 0) {
            val count = input.read { array, start, end ->
                val count = minOf((end - start).toLong(), remaining).toInt()
                accumulator.append(array, start, count)
                count
            }
            if (count < 0) throw EOFException("The connection closed $remaining bytes before the end of the body")
            remaining -= count
        }
    }

    private suspend fun readToEnd(accumulator: BodyAccumulator) {
        while (true) {
            val count = input.read { array, start, end ->
                accumulator.append(array, start, end - start)
                end - start
            }
            if (count < 0) return
        }
    }

    /** A chunked body (RFC 9112 §7.1): size lines in hex (extensions ignored), data, and trailers, which are skipped. */
    private suspend fun readChunked(accumulator: BodyAccumulator) {
        while (true) {
            val line = readLine("a chunk size")
            val digits = line.substringBefore(';').trim()
            val size = if (digits.isEmpty() || digits.length > 15) null else digits.toLongOrNull(16)
            if (size == null || size < 0) throw WireException(WireFailure.BROKEN, "The server sent a malformed chunk size")
            if (size == 0L) break
            readExactly(size, accumulator)
            if (readLine("the end of a chunk").isNotEmpty()) throw WireException(WireFailure.BROKEN, "The server sent a chunk longer than its size")
        }
        var trailers = 0
        while (readLine("a trailer").isNotEmpty()) {
            if (++trailers > MAX_TRAILERS) throw WireException(WireFailure.BROKEN, "The server sent more than $MAX_TRAILERS trailers")
        }
    }

    private suspend fun readLine(what: String): String =
        input.readUTF8Line(LINE_LIMIT) ?: throw EOFException("The connection closed before $what")

    override fun close() {
        closeCalled = true
        try {
            input.cancel()
            output.cancel(null)
        } finally {
            socket.close()
        }
    }

    /** A read response, and whether the connection can carry another exchange. */
    class Outcome(val response: ApiResponse, val reusable: Boolean)

    private companion object {
        const val WRITE_SLICE = 64 * 1024

        /** The longest chunk-size or trailer line read: far beyond any real one, small enough to bound what is held. */
        const val LINE_LIMIT = 8 * 1024
        const val MAX_TRAILERS = 100

        fun keepsAlive(version: String, connection: String?): Boolean {
            val options = connection?.split(',')?.map { it.trim().lowercase() }.orEmpty()
            if ("close" in options) return false
            return version != "HTTP/1.0" || "keep-alive" in options
        }
    }
}

/** How a response body is delimited (RFC 9112 §6.3). */
internal sealed class Framing {
    /** No body: a `HEAD` answer, `204`, `304`. */
    data object None : Framing()

    data class Length(val length: Long) : Framing()

    data object Chunked : Framing()

    /** Neither length nor chunks: the body ends when the server closes the connection, which cannot be reused. */
    data object UntilClose : Framing()

    companion object {
        fun of(status: Int, headRequest: Boolean, headers: Http1Headers): Framing {
            if (headRequest || status == 204 || status == 304) return None
            val encoding = headers["Transfer-Encoding"]
            if (encoding != null) {
                // Chunked must be the last coding; anything else is read until the connection closes.
                return if (encoding.substringAfterLast(',').trim().equals("chunked", ignoreCase = true)) Chunked else UntilClose
            }
            val lengths = headers.values("Content-Length")
            if (lengths.isEmpty()) return UntilClose
            val values = lengths.flatMap { it.split(',') }.map { it.trim() }.distinct()
            val length = values.singleOrNull()?.takeIf { v -> v.isNotEmpty() && v.length <= 18 && v.all { it in '0'..'9' } }?.toLong()
                ?: throw WireException(WireFailure.BROKEN, "The server sent an invalid Content-Length")
            return Length(length)
        }
    }
}
