package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.ServiceProtectionLimits
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import java.util.ArrayDeque
import java.util.concurrent.ConcurrentHashMap

/**
 * Enforces [ServiceProtectionLimits] per user (Learn: "Service protection API limits",
 * learn.microsoft.com/power-apps/developer/data-platform/api-limits): the requests started and the execution time of
 * requests that ended in the sliding window, and the requests in flight. [admit] answers either a [Ticket], which the
 * caller must [finish][Ticket.finish] when the request ends, or the 429 to send.
 *
 * Guesses, as Learn gives no formula: `Retry-After` is the time until the window has room again (the oldest request,
 * or enough execution time, leaving it), rounded up to whole seconds and at least 1; a refused request is not counted;
 * the request and execution-time limits trip exactly at the limit (Learn says the service may let some requests past
 * it first, so a client that stays under these limits stays under the service's). [nanoTime] is injectable for tests.
 */
internal class ServiceProtection(
    private val limits: ServiceProtectionLimits,
    private val nanoTime: () -> Long = System::nanoTime,
) {
    private val windowNanos = limits.scaledWindow.toNanos()
    private val requestLimit = limits.scaledRequestsPerWindow
    private val executionLimitNanos = limits.scaledExecutionTimePerWindow.toNanos()
    private val users = ConcurrentHashMap<String, UserWindow>()

    /** Admits a request of [user] or returns the refusal to answer with. */
    fun admit(user: String): Admission {
        val window = users.computeIfAbsent(user) { UserWindow() }
        synchronized(window) {
            val now = nanoTime()
            window.forget(now)
            if (window.inFlight >= limits.concurrentRequests) {
                // Learn: the concurrency limit trips at once; nothing in it says when a slot frees, so one second.
                return Admission.Refused(refusal(ErrorCodes.THROTTLE_CONCURRENCY, concurrencyMessage(), 1))
            }
            if (window.starts.size >= requestLimit) {
                val wait = window.starts.peekFirst() + windowNanos - now
                return Admission.Refused(refusal(ErrorCodes.THROTTLE_REQUESTS, requestsMessage(), seconds(wait)))
            }
            if (window.executionNanos >= executionLimitNanos) {
                return Admission.Refused(refusal(ErrorCodes.THROTTLE_EXECUTION_TIME, executionMessage(), seconds(window.executionWait(now))))
            }
            window.starts.addLast(now)
            window.inFlight++
            return Admission.Admitted(Ticket(window, now))
        }
    }

    /** Forgets every user's history, as after a restart. */
    fun clear() = users.clear()

    private fun refusal(code: String, message: String, retryAfterSeconds: Long) =
        ApiException(429, code, message, listOf("Retry-After" to retryAfterSeconds.toString()))

    private fun seconds(nanos: Long): Long = maxOf(1L, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND)

    private fun windowSeconds(): String = limits.scaledWindow.let { if (it.toMillis() % 1000 == 0L) "${it.seconds}" else "%.3f".format(it.toMillis() / 1000.0) }

    /** Learn's message, with the limits in force. */
    private fun requestsMessage() = "Number of requests exceeded the limit of $requestLimit over time window of ${windowSeconds()} seconds."

    private fun executionMessage() =
        "Combined execution time of incoming requests exceeded limit of ${"%,d".format(java.util.Locale.ROOT, executionLimitNanos / 1_000_000)} " +
            " milliseconds over time window of ${windowSeconds()} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later."

    private fun concurrencyMessage() = "Number of concurrent requests exceeded the limit of ${limits.concurrentRequests}."

    /** The outcome of [admit]. */
    sealed class Admission {
        class Admitted(val ticket: Ticket) : Admission()

        class Refused(val error: ApiException) : Admission()
    }

    /** An admitted request; [finish] records its execution time and frees its concurrency slot, once. */
    inner class Ticket internal constructor(private val window: UserWindow, private val started: Long) {
        private var finished = false

        fun finish() = synchronized(window) {
            if (finished) return@synchronized
            finished = true
            val now = nanoTime()
            window.inFlight--
            window.ends.addLast(longArrayOf(now, now - started))
            window.executionNanos += now - started
            window.forget(now)
        }
    }

    /** One user's accounting: request starts in the window, execution times of requests that ended in it, requests in flight. */
    inner class UserWindow {
        val starts = ArrayDeque<Long>()
        val ends = ArrayDeque<LongArray>()
        var executionNanos = 0L
        var inFlight = 0

        /** Drops what left the window ending at [now]. */
        fun forget(now: Long) {
            while (starts.isNotEmpty() && starts.peekFirst() <= now - windowNanos) starts.removeFirst()
            while (ends.isNotEmpty() && ends.peekFirst()[0] <= now - windowNanos) executionNanos -= ends.removeFirst()[1]
        }

        /** The time until the execution time in the window falls below the limit, as the oldest ends leave it. */
        fun executionWait(now: Long): Long {
            var left = executionNanos
            for (end in ends) {
                left -= end[1]
                if (left < executionLimitNanos) return end[0] + windowNanos - now
            }
            return windowNanos
        }
    }

    private companion object {
        const val NANOS_PER_SECOND = 1_000_000_000L
    }
}
