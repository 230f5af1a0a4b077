package dev.dataverse.internal.transport

import kotlin.math.max
import kotlin.math.min

/**
 * The number of requests one client lets in flight at once, shared by all its calls.
 *
 * It starts at the service's recommended degree of parallelism (`x-ms-dop-hint`) once a response has carried one — at
 * [ceiling] before — and never exceeds [ceiling]. When the service answers the concurrency throttle (`0x80072326`) the
 * limit is halved and then held for [holdMillis], so that a client that has found the service's limit stays below it;
 * after that quiet period it grows again by one for every `limit` successes in a row, to use capacity the service frees.
 */
internal class AdaptiveConcurrency(
    private val ceiling: Int,
    private val holdMillis: Long = 60_000,
    private val clock: () -> Long = System::currentTimeMillis,
) {
    private val lock = Any()
    private var limit = ceiling.toDouble()
    private var hintApplied = false
    private var holdUntil = 0L
    private var inFlight = 0

    val limiter = ConcurrencyLimiter { current() }

    fun current(): Int = synchronized(lock) { limit.toInt().coerceIn(1, ceiling) }

    /** The requests holding a permit now. */
    fun inFlightNow(): Int = synchronized(lock) { inFlight }

    /** The first hint sets the starting point; later ones are ignored, the feedback loop takes over. */
    fun onHint(hint: Int) = synchronized(lock) {
        if (!hintApplied && hint > 0) {
            hintApplied = true
            limit = min(limit, hint.toDouble())
        }
    }

    fun onSuccess() = synchronized(lock) {
        if (clock() >= holdUntil && limit < ceiling) limit = min(ceiling.toDouble(), limit + 1.0 / limit)
    }

    fun onConcurrencyThrottled() = synchronized(lock) {
        limit = max(1.0, min(limit, inFlight.toDouble()) / 2)
        holdUntil = clock() + holdMillis
    }

    suspend inline fun <T> withPermit(block: () -> T): T = limiter.withPermit {
        synchronized(lock) { inFlight++ }
        try {
            block()
        } finally {
            synchronized(lock) { inFlight-- }
        }
    }
}
