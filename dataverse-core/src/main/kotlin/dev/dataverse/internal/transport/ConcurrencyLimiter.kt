package dev.dataverse.internal.transport

import kotlinx.coroutines.CompletableDeferred

/**
 * Admits at most `limit()` holders at a time, where the limit may change between calls (it follows the service's
 * `x-ms-dop-hint`). Waiters suspend; nothing blocks a thread.
 */
internal class ConcurrencyLimiter(private val limit: () -> Int) {
    private val lock = Any()
    private var active = 0

    /** Completed at the next release; made only when someone waits, so an uncontended permit allocates nothing. */
    private var released: CompletableDeferred<Unit>? = null

    suspend fun acquire() {
        while (true) {
            val wait = synchronized(lock) {
                if (active < limit().coerceAtLeast(1)) {
                    active++
                    null
                } else {
                    released ?: CompletableDeferred<Unit>().also { released = it }
                }
            } ?: return
            wait.await()
        }
    }

    fun release() {
        val waiters = synchronized(lock) {
            active--
            released.also { released = null }
        }
        waiters?.complete(Unit)
    }

    suspend inline fun <T> withPermit(block: () -> T): T {
        acquire()
        try {
            return block()
        } finally {
            release()
        }
    }
}
