package dev.dataverse.internal.files

import java.io.InputStream
import java.io.OutputStream

/**
 * Blocking reads and writes in slices of at most [SIZE] bytes. A file or socket stream copies each call through a
 * temporary direct buffer as large as the call and caches one per thread, so whole-chunk calls on the many threads of
 * `Dispatchers.IO` would pin several chunks of direct memory each; 64 KiB slices keep that small.
 */
internal object IoSlices {
    const val SIZE: Int = 64 * 1024

    /** Reads until [length] bytes are in [buffer] from [offset] or the stream ends; -1 when it ended before any byte. */
    fun read(stream: InputStream, buffer: ByteArray, offset: Int, length: Int): Int {
        var total = 0
        while (total < length) {
            val count = stream.read(buffer, offset + total, minOf(SIZE, length - total))
            if (count < 0) return if (total == 0) -1 else total
            total += count
        }
        return total
    }

    /** Writes the first [length] bytes of [bytes]. */
    fun write(stream: OutputStream, bytes: ByteArray, length: Int = bytes.size) {
        var offset = 0
        while (offset < length) {
            val count = minOf(SIZE, length - offset)
            stream.write(bytes, offset, count)
            offset += count
        }
    }
}
