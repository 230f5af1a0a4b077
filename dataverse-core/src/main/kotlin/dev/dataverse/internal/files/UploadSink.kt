package dev.dataverse.internal.files

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.InputStream

/**
 * Gathers a source's bytes into pieces of one fixed size (the chunk or block size) and sends each full piece, so that an
 * upload of any size holds one piece in memory, whatever sizes the source delivers. A full piece is only sent when more
 * bytes arrive, and [finish] sends the rest: the last piece, whose sending commits the file, therefore always waits until
 * the source has ended.
 */
internal abstract class UploadSink(pieceSize: Int) {
    protected val buffer: ByteArray = ByteArray(pieceSize)

    /** Bytes of [buffer] in use. */
    protected var filled: Int = 0

    /** Bytes sent in earlier pieces. */
    protected var sent: Long = 0

    /** Bytes accepted from the source so far. */
    val received: Long get() = sent + filled

    /** Whether the full [buffer] must be the last piece (the source may not go on). */
    protected abstract fun fullBufferIsLast(): Boolean

    /** Throws when the source turns out to hold more bytes than the upload may take. */
    protected abstract fun overflow(): Nothing

    /** Checks that [count] more bytes may be accepted; throws otherwise, before anything of them is sent. */
    protected abstract fun accepting(count: Int)

    /** Sends the full [buffer] as a piece that is not the last. */
    protected abstract suspend fun sendPiece()

    /** Sends what is left once the source has ended, and commits the file. */
    abstract suspend fun finish()

    /** Accepts [length] bytes of [bytes] from [offset], e.g. one element of a `Flow<ByteArray>`. */
    suspend fun write(bytes: ByteArray, offset: Int = 0, length: Int = bytes.size) {
        var from = offset
        var left = length
        while (left > 0) {
            if (filled == buffer.size) flushFull()
            val count = minOf(left, buffer.size - filled)
            accepting(count)
            bytes.copyInto(buffer, filled, from, from + count)
            filled += count
            from += count
            left -= count
        }
    }

    /**
     * Reads [stream] to its end, straight into the piece buffer, on [Dispatchers.IO]; the stream is not closed. Each
     * piece is filled in one dispatch, in reads of at most [IoSlices.SIZE]: the JDK copies every read of a file or socket
     * stream through a temporary direct buffer as large as the read, and keeps one per thread.
     */
    suspend fun readFrom(stream: InputStream) {
        while (true) {
            if (filled == buffer.size) {
                if (fullBufferIsLast()) {
                    if (withContext(Dispatchers.IO) { stream.read() } >= 0) overflow()
                    return
                }
                flushFull()
            }
            val count = withContext(Dispatchers.IO) { IoSlices.read(stream, buffer, filled, buffer.size - filled) }
            if (count < 0) return
            accepting(count)
            filled += count
        }
    }

    private suspend fun flushFull() {
        if (fullBufferIsLast()) overflow()
        sendPiece()
        sent += filled
        filled = 0
    }
}
