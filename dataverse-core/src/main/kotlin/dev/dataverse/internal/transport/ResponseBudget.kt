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
 * A declared length within the limit is read straight into one array of that size; otherwise pieces are kept as they
 * come and joined once the body is complete. Reading stops at the limit, so a runaway body costs at most the limit, never
 * twice it; only a complete body within the limit is briefly held twice, while it is joined. [release] must be called
 * once the exchange ends, whatever its outcome.
 */
internal class BodyAccumulator(private val limit: Long, private val budget: ResponseBudget, declaredLength: Long?) {
    private var exact: ByteArray? = null
    private var pieces: ArrayList<ByteArray>? = null
    private var size = 0L
    private var reserved = 0L
    private val declaredEmpty = declaredLength == 0L

    init {
        if (declaredLength != null) {
            if (declaredLength > limit) {
                throw WireException(WireFailure.TOO_LARGE, "The response declares $declaredLength bytes, more than the limit of $limit bytes.")
            }
            if (declaredLength > 0) {
                reserve(declaredLength)
                exact = ByteArray(declaredLength.toInt())
            }
        }
    }

    val length: Long get() = size

    /** Appends [count] bytes of [source] from [offset]; throws [WireException] (TOO_LARGE) past the limit or budget. */
    fun append(source: ByteArray, offset: Int, count: Int) {
        if (count == 0) return
        val exact = exact
        if (exact != null) {
            if (size + count > exact.size) {
                throw WireException(WireFailure.TOO_LARGE, "The response is longer than its declared ${exact.size} bytes.")
            }
            System.arraycopy(source, offset, exact, size.toInt(), count)
        } else {
            if (size + count > limit) throw WireException(WireFailure.TOO_LARGE, "The response is larger than the limit of $limit bytes.")
            if (declaredEmpty) throw WireException(WireFailure.TOO_LARGE, "The response is longer than its declared 0 bytes.")
            reserve(count.toLong())
            (pieces ?: ArrayList<ByteArray>().also { pieces = it }).add(source.copyOfRange(offset, offset + count))
        }
        size += count
    }

    /** Appends the remaining bytes of [buffer]. */
    fun append(buffer: java.nio.ByteBuffer) {
        if (buffer.hasArray()) {
            val count = buffer.remaining()
            append(buffer.array(), buffer.arrayOffset() + buffer.position(), count)
            buffer.position(buffer.limit())
        } else {
            val copy = ByteArray(buffer.remaining())
            buffer.get(copy)
            append(copy, 0, copy.size)
        }
    }

    /** The whole body; for a declared length, checks that it all arrived. */
    fun toByteArray(): ByteArray {
        exact?.let { bytes ->
            if (size != bytes.size.toLong()) {
                throw WireException(WireFailure.BROKEN, "The response ended after $size of its declared ${bytes.size} bytes.")
            }
            return bytes
        }
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

    /** Returns what this body reserved to the budget. */
    fun release() {
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
