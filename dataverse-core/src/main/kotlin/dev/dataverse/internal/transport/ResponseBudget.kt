package dev.dataverse.internal.transport

import java.util.concurrent.atomic.AtomicLong

/**
 * The bytes all responses being read at once by one client may hold, so that many large (or hostile, endless) bodies in
 * parallel cannot together exhaust the heap even though each stays under its own limit. Readers reserve what they buffer
 * and release it when their exchange ends.
 */
internal class ResponseBudget(val capacity: Long) {
    private val used = AtomicLong()

    /** Reserves [bytes]; false, reserving nothing, when that would exceed the capacity. */
    fun tryReserve(bytes: Long): Boolean {
        while (true) {
            val current = used.get()
            if (current + bytes > capacity) return false
            if (used.compareAndSet(current, current + bytes)) return true
        }
    }

    fun release(bytes: Long) {
        if (bytes > 0) used.addAndGet(-bytes)
    }

    /** Bytes reserved now. */
    val inUse: Long get() = used.get()
}

/**
 * Gathers a response body that arrives in pieces, refusing to hold more than [limit] bytes or more than [budget] grants.
 * With a [target] (a caller's buffer, reused from one response to the next, e.g. one chunk of a file download) the body
 * is written straight into it and nothing is allocated or reserved: the target's size is then the limit too. Otherwise a
 * declared length within the limit is read straight into one array of that size, and a body of unknown length is copied
 * into blocks of growing size (up to [MAX_BLOCK]) that are joined once the body is complete.
 *
 * What is reserved is what is held: a whole block is reserved when it is allocated, so the budget bounds the arrays
 * themselves, whatever sizes the engine hands the bytes over in (a list of one copy per read held an array header and a
 * reference per read, uncounted, and reads get small when the reader keeps up). Reading stops at the limit, so a runaway
 * body costs at most the limit, never twice it; only a complete body of unknown length is briefly held twice, while it
 * is joined. A body refused past the limit or the budget drops what it holds and returns its reservation at once, not
 * when its exchange has been cleaned up. [release] must be called once the exchange ends, whatever its outcome: it drops
 * the arrays before it returns their reservation, so that bytes given back to the budget are never still reachable
 * through an accumulator that an engine or a suspended frame still references; and bytes that arrive after it are
 * refused, so a late piece of an abandoned exchange can never land in a target that the next attempt or chunk is using.
 */
internal class BodyAccumulator(
    limit: Long,
    private val budget: ResponseBudget,
    declaredLength: Long?,
    private var target: ByteArray? = null,
) {
    private val limit: Long = target.let { if (it != null) minOf(limit, it.size.toLong()) else limit }
    private var exact: ByteArray? = null
    private var blocks: ArrayList<ByteArray>? = null
    private var tail: ByteArray? = null
    private var tailUsed = 0
    private var allocated = 0L
    private var size = 0L
    private var reserved = 0L
    private var released = false
    private val declared: Long? = declaredLength

    init {
        if (declaredLength != null) {
            if (declaredLength > this.limit) {
                throw WireException(WireFailure.TOO_LARGE, "The response declares $declaredLength bytes, more than the limit of ${this.limit} bytes.")
            }
            if (declaredLength > 0 && target == null) {
                reserve(declaredLength)
                exact = ByteArray(declaredLength.toInt())
            }
        }
    }

    /** Bytes received so far; once complete, the body's length (the bytes of [toByteArray] that are the body). */
    val length: Long get() = size

    /** Bytes of the arrays this accumulator holds now (not counting a caller's target): what it has reserved. */
    val held: Long get() = reserved

    /** Appends [count] bytes of [source] from [offset]; throws [WireException] (TOO_LARGE) past the limit or budget. */
    fun append(source: ByteArray, offset: Int, count: Int) {
        if (count == 0) return
        val destination = destination(count)
        if (destination != null) {
            System.arraycopy(source, offset, destination, size.toInt(), count)
            size += count
            return
        }
        var from = offset
        var left = count
        while (left > 0) {
            val block = tailWithRoom()
            val n = minOf(left, block.size - tailUsed)
            System.arraycopy(source, from, block, tailUsed, n)
            tailUsed += n
            from += n
            left -= n
            size += n
        }
    }

    /** Appends the remaining bytes of [buffer] (read-only buffers too, which is what the JDK client hands out): one copy. */
    fun append(buffer: java.nio.ByteBuffer) {
        val count = buffer.remaining()
        if (count == 0) return
        if (buffer.hasArray()) {
            append(buffer.array(), buffer.arrayOffset() + buffer.position(), count)
            buffer.position(buffer.limit())
            return
        }
        val destination = destination(count)
        if (destination != null) {
            buffer.get(destination, size.toInt(), count)
            size += count
            return
        }
        while (buffer.hasRemaining()) {
            val block = tailWithRoom()
            val n = minOf(buffer.remaining(), block.size - tailUsed)
            buffer.get(block, tailUsed, n)
            tailUsed += n
            size += n
        }
    }

    /** Where [count] more bytes go: the target or the exact array; null when they go into blocks. Checks every limit. */
    private fun destination(count: Int): ByteArray? {
        if (released) throw WireException(WireFailure.BROKEN, "The exchange ended; its late bytes are not kept.")
        val declared = declared
        if (declared != null && size + count > declared) {
            refuse("The response is longer than its declared $declared bytes.")
        }
        if (size + count > limit) refuse("The response is larger than the limit of $limit bytes.")
        return target ?: exact
    }

    /**
     * The last block while it has room, else a new one, reserved whole before it is allocated: twice the size of the
     * last (from [FIRST_BLOCK], so a small body costs a small array) up to [MAX_BLOCK], never past the limit.
     */
    private fun tailWithRoom(): ByteArray {
        tail?.let { if (tailUsed < it.size) return it }
        val previous = tail?.size ?: (FIRST_BLOCK / 2)
        val blockSize = minOf(previous.toLong() * 2, MAX_BLOCK.toLong(), limit - allocated).toInt()
        check(blockSize > 0) { "No room left under the limit of $limit bytes" }
        reserve(blockSize.toLong())
        val block = ByteArray(blockSize)
        (blocks ?: ArrayList<ByteArray>().also { blocks = it }).add(block)
        allocated += blockSize
        tail = block
        tailUsed = 0
        return block
    }

    /**
     * The whole body; for a declared length, checks that it all arrived. With a target, the target itself, of which the
     * first [length] bytes are the body; a body that fit in one block is that block, likewise.
     */
    fun toByteArray(): ByteArray {
        val declared = declared
        if (declared != null && size != declared) {
            throw WireException(WireFailure.BROKEN, "The response ended after $size of its declared $declared bytes.")
        }
        target?.let { return it }
        exact?.let { return it }
        val parts = blocks ?: return EMPTY
        if (parts.size == 1) return parts[0]
        val joined = ByteArray(size.toInt())
        var at = 0
        for (index in parts.indices) {
            val part = parts[index]
            val n = minOf(part.size.toLong(), size - at).toInt()
            System.arraycopy(part, 0, joined, at, n)
            at += n
            parts[index] = EMPTY
        }
        blocks = null
        tail = null
        return joined
    }

    /** Drops what this body holds, then returns its reservation to the budget; bytes that arrive afterwards are refused. */
    fun release() {
        released = true
        drop()
    }

    /** Drops every array (the target is the caller's: only the reference goes) before the reservation is returned. */
    private fun drop() {
        exact = null
        target = null
        blocks = null
        tail = null
        tailUsed = 0
        budget.release(reserved)
        reserved = 0
    }

    /** Refuses the body: what it holds is of no use any more, so it goes (and its reservation with it) now. */
    private fun refuse(message: String): Nothing {
        released = true
        drop()
        throw WireException(WireFailure.TOO_LARGE, message)
    }

    private fun reserve(bytes: Long) {
        if (!budget.tryReserve(bytes)) {
            val message = "The responses being read at once would hold more than the client's budget of ${budget.capacity} bytes."
            if (exact == null && blocks == null) throw WireException(WireFailure.TOO_LARGE, message)
            refuse(message)
        }
        reserved += bytes
    }

    private companion object {
        val EMPTY = ByteArray(0)
        const val FIRST_BLOCK = 8 * 1024
        const val MAX_BLOCK = 64 * 1024
    }
}
