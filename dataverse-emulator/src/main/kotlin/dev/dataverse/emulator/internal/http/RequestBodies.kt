package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.readAvailable
import java.util.concurrent.atomic.AtomicLong

/**
 * Reads request bodies within limits, so that no request — authenticated or not, with a declared length or an
 * endless chunked body — can make the emulator run out of memory and stop answering everyone else.
 *
 * A body is read in pieces of [PIECE] bytes, counted against [maxBytes] per request and [budgetBytes] for all bodies
 * being read at once. A declared `Content-Length` above the cap is refused before a byte is read. Past either limit
 * the request is answered 413 with the service's RequestLengthTooLarge code `0x8004418a`; the caller then closes the
 * connection, as the rest of such a body is never wanted.
 */
internal class RequestBodies(private val maxBytes: Long, private val budgetBytes: Long) {
    private val buffered = AtomicLong()

    /** Throws the 413 for a declared [contentLength] above the cap, before anything is read. */
    private fun checkDeclared(contentLength: Long?) {
        if (contentLength != null && contentLength > maxBytes) throw tooLarge("The request body of $contentLength bytes")
    }

    /** The whole body of [channel]; a 413 [ApiException] as soon as it passes a limit. */
    suspend fun read(channel: ByteReadChannel, contentLength: Long?): ByteArray {
        checkDeclared(contentLength)
        val pieces = ArrayList<ByteArray>()
        var total = 0L
        try {
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
                if (buffered.addAndGet(filled.toLong()) > budgetBytes) {
                    buffered.addAndGet(-filled.toLong())
                    throw ApiException(
                        413, ErrorCodes.REQUEST_TOO_LARGE,
                        "The emulator is already reading $budgetBytes bytes of request bodies; send this request again later.",
                    )
                }
                pieces += if (filled == PIECE) piece else piece.copyOf(filled)
                if (filled < PIECE) break
            }
            return join(pieces, total.toInt())
        } finally {
            buffered.addAndGet(-pieces.sumOf { it.size.toLong() })
        }
    }

    private fun join(pieces: List<ByteArray>, size: Int): ByteArray {
        if (pieces.size == 1) return pieces[0]
        val body = ByteArray(size)
        var at = 0
        for (piece in pieces) {
            piece.copyInto(body, at)
            at += piece.size
        }
        return body
    }

    private fun tooLarge(what: String) =
        ApiException(413, ErrorCodes.REQUEST_TOO_LARGE, "$what exceeds the maximum request length of $maxBytes bytes.")

    companion object {
        /** Bodies are read in pieces of this size, so an accepted body costs at most itself twice while it is joined. */
        const val PIECE: Int = 64 * 1024
    }
}
