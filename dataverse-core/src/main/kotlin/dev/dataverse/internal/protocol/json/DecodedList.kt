package dev.dataverse.internal.protocol.json

/**
 * The items of a JSON array, decoded from the response's bytes when they are read: holding a page of 5000 records holds
 * its bytes and one offset per record, not 5000 trees. The array was checked whole when the offsets were taken, so
 * [decode] meets valid JSON of the expected shape. Items are decoded afresh on each [get]: equal, not identical.
 *
 * Immutable and safe to share between threads, as the bytes are never changed.
 */
internal class DecodedList<T>(
    private val bytes: ByteArray,
    /** Where the document ends: decoding an item never reads past it. */
    private val to: Int,
    private val starts: Offsets,
    private val decode: (JsonReader) -> T,
) : AbstractList<T>(), RandomAccess {
    override val size: Int = starts.size

    override fun get(index: Int): T {
        if (index !in 0 until size) throw IndexOutOfBoundsException("Index $index is outside the list of $size items.")
        return decode(JsonReader(bytes, starts[index], to))
    }

    /**
     * Collects item offsets while an array is scanned, in blocks of [BLOCK] offsets that are never copied: growing a
     * single array would hold the old and the new one at once (2.5 times the offsets), which for a page of small items
     * (`{}` is 3 bytes with its comma, its offset 4) would be more than the page itself. Read only once complete.
     */
    class Offsets {
        /** Block 0 starts small and doubles up to [BLOCK] (most arrays are short); every later block is [BLOCK] long. */
        private var blocks = arrayOfNulls<IntArray>(INITIAL_BLOCKS).also { it[0] = IntArray(FIRST_BLOCK) }

        var size: Int = 0
            private set

        fun add(start: Int) {
            val block = size ushr SHIFT
            val slot = size and MASK
            if (block == blocks.size) blocks = blocks.copyOf(blocks.size * 2)
            var current = blocks[block]
            if (current == null) {
                current = IntArray(BLOCK)
                blocks[block] = current
            } else if (slot == current.size) {
                current = current.copyOf(minOf(current.size * 2, BLOCK))
                blocks[block] = current
            }
            current[slot] = start
            size++
        }

        operator fun get(index: Int): Int = blocks[index ushr SHIFT]!![index and MASK]

        fun <T> list(bytes: ByteArray, to: Int, decode: (JsonReader) -> T): List<T> =
            if (size == 0) emptyList() else DecodedList(bytes, to, this, decode)

        private companion object {
            const val FIRST_BLOCK = 16
            const val SHIFT = 14
            const val BLOCK = 1 shl SHIFT
            const val MASK = BLOCK - 1
            const val INITIAL_BLOCKS = 4
        }
    }
}
