package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.work.RequestMemory
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.readAvailable

/**
 * Reads request bodies within limits, so that no request — authenticated or not, with a declared length or an
 * endless chunked body — can make the emulator run out of memory and stop answering everyone else.
 *
 * A body is at most [maxBytes], and it is held in the request's [RequestMemory] (the emulator's budget for all requests
 * in flight) from its first byte until the request ends. A declared `Content-Length` above the cap is refused before a
 * byte is read, and a body of declared length is read into one array of that size; a chunked body is counted as its
 * pieces arrive and refused as soon as it passes the cap. Past either limit the request is answered 413 with the
 * service's RequestLengthTooLarge code `0x8004418a`; the caller then closes the connection, as the rest of such a body
 * is never wanted. [explain] tells, in the 413's message, where the cap comes from.
 */
internal class RequestBodies(private val maxBytes: Long, private val explain: String = "") {

    /** Throws the 413 for a declared [contentLength] above the cap, before anything is read. */
    private fun checkDeclared(contentLength: Long?) {
        if (contentLength != null && contentLength > maxBytes) throw tooLarge("The request body of $contentLength bytes")
    }

    /** The whole body of [channel], held in [memory]; a 413 [ApiException] as soon as it passes a limit. */
    suspend fun read(channel: ByteReadChannel, contentLength: Long?, memory: RequestMemory): ByteArray {
        checkDeclared(contentLength)
        return if (contentLength != null) readDeclared(channel, contentLength.toInt(), memory) else readChunked(channel, memory)
    }

    private suspend fun readDeclared(channel: ByteReadChannel, length: Int, memory: RequestMemory): ByteArray {
        memory.take(length.toLong())
        val body = ByteArray(length)
        var filled = 0
        while (filled < length) {
            val read = channel.readAvailable(body, filled, minOf(PIECE, length - filled))
            if (read < 0) break
            filled += read
        }
        if (filled == length) return body
        memory.giveBack((length - filled).toLong())
        return body.copyOf(filled)
    }

    private suspend fun readChunked(channel: ByteReadChannel, memory: RequestMemory): ByteArray {
        val pieces = ArrayList<ByteArray>()
        var total = 0L
        while (true) {
            val piece = ByteArray(PIECE)
            var filled = 0
            while (filled < PIECE) {
                val read = channel.readAvailable(piece, filled, PIECE - filled)
                if (read < 0) break
                filled += read
            }
            if (filled == 0) break
            total += filled
            if (total > maxBytes) throw tooLarge("The request body")
            memory.take(filled.toLong())
            pieces += if (filled == PIECE) piece else piece.copyOf(filled)
            if (filled < PIECE) break
        }
        if (pieces.size == 1) return pieces[0]
        // The joined copy is held while the pieces still are; then the pieces are given back. On a failure the request's
        // memory is given back when it ends.
        memory.take(total)
        val body = join(pieces, total.toInt())
        memory.giveBack(total)
        return body
    }

    private fun join(pieces: List<ByteArray>, size: Int): ByteArray {
        val body = ByteArray(size)
        var at = 0
        for (piece in pieces) {
            piece.copyInto(body, at)
            at += piece.size
        }
        return body
    }

    private fun tooLarge(what: String) =
        ApiException(413, ErrorCodes.REQUEST_TOO_LARGE, "$what exceeds the maximum request length of $maxBytes bytes$explain.")

    companion object {
        /** Chunked bodies are read in pieces of this size, so an accepted body costs at most itself twice while it is joined. */
        const val PIECE: Int = 64 * 1024
    }
}
