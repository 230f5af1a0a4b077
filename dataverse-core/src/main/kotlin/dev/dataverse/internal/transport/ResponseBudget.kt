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
 * declared length within the limit is read straight into one array of that size, and pieces of a body of unknown length
 * are kept as they come and joined once the body is complete. Reading stops at the limit, so a runaway body costs at
 * most the limit, never twice it; only a complete body of unknown length is briefly held twice, while it is joined.
 * [release] must be called once the exchange ends, whatever its outcome: bytes that arrive after it are refused, so a
 * late piece of an abandoned exchange can never land in a target that the next attempt or chunk is using.
 */
internal class BodyAccumulator(
    limit: Long,
    private val budget: ResponseBudget,
    declaredLength: Long?,
    private val target: ByteArray? = null,
) {
    private val limit: Long = if (target != null) minOf(limit, target.size.toLong()) else limit
    private var exact: ByteArray? = null
    private var pieces: ArrayList<ByteArray>? = null
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

    /** Appends [count] bytes of [source] from [offset]; throws [WireException] (TOO_LARGE) past the limit or budget. */
    fun append(source: ByteArray, offset: Int, count: Int) {
        if (count == 0) return
        val destination = destination(count)
        if (destination != null) {
            System.arraycopy(source, offset, destination, size.toInt(), count)
        } else {
            reserve(count.toLong())
            (pieces ?: ArrayList<ByteArray>().also { pieces = it }).add(source.copyOfRange(offset, offset + count))
        }
        size += count
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
        } else {
            reserve(count.toLong())
            (pieces ?: ArrayList<ByteArray>().also { pieces = it }).add(ByteArray(count).also { buffer.get(it) })
        }
        size += count
    }

    /** Where [count] more bytes go: the target or the exact array; null when they are kept as a piece. Checks every limit. */
    private fun destination(count: Int): ByteArray? {
        if (released) throw WireException(WireFailure.BROKEN, "The exchange ended; its late bytes are not kept.")
        val declared = declared
        if (declared != null && size + count > declared) {
            throw WireException(WireFailure.TOO_LARGE, "The response is longer than its declared $declared bytes.")
        }
        if (size + count > limit) throw WireException(WireFailure.TOO_LARGE, "The response is larger than the limit of $limit bytes.")
        return target ?: exact
    }

    /**
     * The whole body; for a declared length, checks that it all arrived. With a target, the target itself, of which the
     * first [length] bytes are the body.
     */
    fun toByteArray(): ByteArray {
        val declared = declared
        if (declared != null && size != declared) {
            throw WireException(WireFailure.BROKEN, "The response ended after $size of its declared $declared bytes.")
        }
        target?.let { return it }
        exact?.let { return it }
        val parts = pieces ?: return EMPTY
        if (parts.size == 1) return parts[0]
        val joined = ByteArray(size.toInt())
        var at = 0
        for (index in parts.indices) {
            val part = parts[index]
            System.arraycopy(part, 0, joined, at, part.size)
            at += part.size
            parts[index] = EMPTY
        }
        pieces = null
        return joined
    }

    /** Returns what this body reserved to the budget; bytes that arrive afterwards are refused. */
    fun release() {
        released = true
        budget.release(reserved)
        reserved = 0
    }

    private fun reserve(bytes: Long) {
        if (!budget.tryReserve(bytes)) {
            throw WireException(
                WireFailure.TOO_LARGE,
                "The responses being read at once would hold more than the client's budget of ${budget.capacity} bytes.",
            )
        }
        reserved += bytes
    }

    private companion object {
        val EMPTY = ByteArray(0)
    }
}
