package dev.dataverse.emulator.internal.work

import dev.dataverse.emulator.internal.ApiException

/**
 * The time one API request may take, checked by the work it does: the query engines, matchers and scans call [check]
 * as they go, so a request that runs past its deadline (or whose client went away, or whose emulator stops) ends at the
 * next check instead of holding its thread, and the request gate, for as long as it would take.
 */
internal class RequestDeadline(private val timeoutMillis: Long, private val nanoTime: () -> Long = System::nanoTime) {
    private val endNanos = nanoTime() + timeoutMillis * NANOS_PER_MILLI

    @Volatile
    private var abandoned = false

    /** The thread running code that never calls [check] (a custom API's handler), interrupted on [abandon]; guarded by `this`. */
    private var blocking: Thread? = null

    /** Whether the deadline passed or the request was abandoned. */
    val isOver: Boolean get() = abandoned || nanoTime() - endNanos >= 0

    /**
     * Ends the request's work at its next [check]: its answer is no longer wanted. Work in [interruptible] is interrupted
     * too, so a handler waiting on a lock, a latch or a sleep gives its thread back.
     */
    fun abandon() {
        abandoned = true
        synchronized(this) { blocking?.interrupt() }
    }

    /**
     * Runs [block], code that does not call [check], on this thread so that [abandon] interrupts it. The interrupt stays
     * inside: once [block] ends the thread's interrupt status is cleared, so the pooled thread serves the next request
     * uninterrupted. Nested calls (a handler's own request, in a `$batch`) keep the outer section.
     */
    fun <T> interruptible(block: () -> T): T {
        val thread = Thread.currentThread()
        val outer = synchronized(this) {
            // Another thread of the same request (none the emulator starts) is left to the deadline's checks.
            if (blocking != null) {
                false
            } else {
                blocking = thread
                if (abandoned) thread.interrupt()
                true
            }
        }
        if (!outer) return block()
        try {
            return block()
        } finally {
            synchronized(this) { blocking = null }
            Thread.interrupted()
        }
    }

    /** Throws the service's timeout error when [isOver]. */
    fun check() {
        if (isOver) throw timedOut(timeoutMillis)
    }

    companion object {
        private const val NANOS_PER_MILLI = 1_000_000L
        private val current = ThreadLocal<RequestDeadline?>()

        /**
         * The service's answer to a request that took too long. Learn ("Troubleshoot Dataverse bulk operation errors"):
         * "Sql error: SQL timeout expired", error code -2147204783 (`0x80044151`). The status (500) is a guess: the page
         * gives none. Clients must not key behaviour on either.
         */
        fun timedOut(timeoutMillis: Long): ApiException = ApiException(
            500,
            SQL_TIMEOUT,
            "SQL timeout expired. The emulator stopped this request after its limit of $timeoutMillis ms (EmulatorOptions.requestTimeout).",
        )

        /** `SqlTimeout`: see [timedOut]. */
        const val SQL_TIMEOUT: String = "0x80044151"

        /** Runs [block] on this thread with [deadline] in force for [check]; nested requests (in a `$batch`) keep the outer one. */
        fun <T> within(deadline: RequestDeadline, block: () -> T): T {
            val previous = current.get()
            if (previous != null) return block()
            current.set(deadline)
            try {
                return block()
            } finally {
                current.set(null)
            }
        }

        /** The deadline of the request handled on this thread, or null outside a request. */
        fun current(): RequestDeadline? = current.get()

        /** Throws the timeout error when the request handled on this thread is past its deadline; nothing outside a request. */
        fun check() {
            current.get()?.check()
        }
    }
}

/**
 * Calls [RequestDeadline.check] once every [INTERVAL] steps of a loop whose single step is cheap (a character matched),
 * so long loops stay interruptible at little cost.
 */
internal class DeadlineTicker {
    private var steps = 0

    fun tick() {
        if (++steps and (INTERVAL - 1) == 0) RequestDeadline.check()
    }

    private companion object {
        const val INTERVAL = 4096
    }
}
