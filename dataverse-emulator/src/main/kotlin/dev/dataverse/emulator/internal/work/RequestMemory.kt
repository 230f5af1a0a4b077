package dev.dataverse.emulator.internal.work

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import java.util.concurrent.atomic.AtomicLong

/**
 * The share of the heap the emulator lets the requests in flight hold in request bodies and in the JSON trees parsed
 * from them: [totalBytes] for all of them together, so that no mix of requests, however large or many, makes the
 * emulator run out of memory. A request past it is answered 413 with the service's RequestLengthTooLarge code; the
 * limits per request are [HeapLimits]'.
 */
internal class MemoryBudget(val totalBytes: Long) {
    private val used = AtomicLong()

    /** Takes [bytes] from the budget; false (taking nothing) when that would pass [totalBytes]. */
    fun tryTake(bytes: Long): Boolean {
        while (true) {
            val now = used.get()
            if (now + bytes > totalBytes && bytes > 0) return false
            if (used.compareAndSet(now, now + bytes)) return true
        }
    }

    fun giveBack(bytes: Long) {
        used.addAndGet(-bytes)
    }

    /** The bytes held now, for tests. */
    val usedBytes: Long get() = used.get()
}

/**
 * What one request holds of the [MemoryBudget]: its body, then the JSON trees parsed from it, all given back when the
 * request ends ([release]). Bound to the thread that handles the request ([within]) so that the JSON parser finds it.
 */
internal class RequestMemory(private val budget: MemoryBudget) {
    private val held = AtomicLong()

    /** Takes [bytes] for this request, or throws the 413 saying the emulator is full for now. */
    fun take(bytes: Long) {
        if (!budget.tryTake(bytes)) {
            throw ApiException(
                413, ErrorCodes.REQUEST_TOO_LARGE,
                "The emulator already holds ${budget.totalBytes} bytes of request bodies and their JSON, the most its heap allows; " +
                    "send this request again later.",
            )
        }
        held.addAndGet(bytes)
    }

    /** Gives [bytes] taken by this request back before it ends (a buffer no longer needed). */
    fun giveBack(bytes: Long) {
        held.addAndGet(-bytes)
        budget.giveBack(bytes)
    }

    /** Gives back everything this request holds. */
    fun release() {
        budget.giveBack(held.getAndSet(0))
    }

    companion object {
        private val current = ThreadLocal<RequestMemory?>()

        /** Runs [block] with [memory] as the memory of the request handled on this thread; nested requests keep the outer one. */
        fun <T> within(memory: RequestMemory, block: () -> T): T {
            if (current.get() != null) return block()
            current.set(memory)
            try {
                return block()
            } finally {
                current.set(null)
            }
        }

        /** The memory of the request handled on this thread, or null outside one (the embedding API). */
        fun current(): RequestMemory? = current.get()
    }
}

/**
 * The emulator's limits derived from its heap ([Runtime.maxMemory]), so that an emulator given a small heap refuses what
 * it cannot hold instead of running out of memory: a request body of at most an eighth of the heap (and of the
 * configured maximum), a JSON tree estimated at most an eighth, and half the heap for all requests in flight.
 */
internal object HeapLimits {
    private const val MIN_BODY_BYTES = 1L shl 20

    val heapBytes: Long get() = Runtime.getRuntime().maxMemory()

    /** The largest body accepted: [configured], or an eighth of the heap when that is less (but at least 1 MiB). */
    fun maxBodyBytes(configured: Long): Long = minOf(configured, maxOf(MIN_BODY_BYTES, heapBytes / 8))

    /** The largest JSON tree (estimated) one request may parse. */
    val maxTreeBytes: Long get() = maxOf(MIN_BODY_BYTES * 8, heapBytes / 8)

    /** The budget of all requests in flight. */
    fun budgetBytes(maxBody: Long): Long = maxOf(maxBody, heapBytes / 2)

    /** The heap in MiB, for messages. */
    val heapMebibytes: Long get() = heapBytes shr 20
}
