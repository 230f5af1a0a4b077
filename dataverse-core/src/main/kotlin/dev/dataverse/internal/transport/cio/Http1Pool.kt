package dev.dataverse.internal.transport.cio

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlin.time.Duration.Companion.nanoseconds

/**
 * The idle connections of [CioWireTransport], by origin, at most [capacity] in all. The most recently returned
 * connection is taken first (the likeliest to be still open, and it lets the others age out). A connection is kept idle
 * for at most [idleTimeoutNanos], or less when its server said so ([Http1Connection.serverIdleLimitNanos]).
 *
 * ## Idle connections go away on their own
 *
 * One coroutine per pool, the sweeper, closes the idle connections that have been idle too long or that their server
 * closed (or sent unasked bytes to, such as a `408`), without waiting for the next call. It needs no read of its own to
 * see a server's close: Ktor's socket reader, which every connection has anyway, reads ahead into the connection's
 * input channel and closes that channel at the end of the stream, so [Http1Connection.looksUsable] only looks at state.
 * The sweeper wakes at the next idle deadline, and at least every [checkIntervalNanos] to notice closes by servers: a
 * connection the server closed is closed here within that interval instead of sitting in `CLOSE_WAIT` with its file
 * descriptor until the next call.
 *
 * It costs nothing while the pool is empty: the sweeper then waits (suspended, no timer) until a connection is
 * returned, and [put] wakes it only when it was waiting, so at most once per look however many requests there are (a
 * sweeper that found a connection idle at its last look is ticking, not waiting). While connections are idle it costs
 * a timer tick per interval and a few field reads per idle connection. [take] never waits for the sweeper: it only
 * takes the lock the sweeper holds for a look. The alternative, a coroutine per idle connection suspended in a read of
 * its channel, would notice a close at once but would have to be cancelled and waited for on every [take] (two readers
 * may not share a channel), on the path of every request.
 *
 * Every removal happens under the pool's lock and each connection is removed once, by a [take], the sweeper, a [put]
 * that needs room, or [close]; only the remover closes it. So a [take] never gets a connection the pool closed, and one
 * it gets was open and had its deadline ahead when taken.
 */
internal class Http1Pool(
    private val capacity: Int,
    private val idleTimeoutNanos: Long,
    scope: CoroutineScope,
    private val checkIntervalNanos: Long = CHECK_INTERVAL_NANOS,
) : AutoCloseable {
    private val idle = HashMap<String, ArrayDeque<Http1Connection>>()
    private var count = 0
    private var closed = false

    /** Whether the sweeper waits for [wake] (nothing was idle at its last look); guarded by the pool's lock. */
    private var sweeperWaiting = true
    private val wake = Channel<Unit>(Channel.CONFLATED)

    // Undispatched: it runs up to its first wait here, so starting it costs no thread hop.
    private val sweeper = scope.launch(start = CoroutineStart.UNDISPATCHED) { sweepWhileIdle() }

    /** Idle connections held now. */
    val size: Int get() = synchronized(this) { count }

    /** An idle connection to [origin] that looks usable, or `null` when there is none. */
    fun take(origin: String): Http1Connection? {
        val discarded = ArrayList<Http1Connection>(0)
        try {
            synchronized(this) {
                val connections = idle[origin] ?: return null
                val now = System.nanoTime()
                while (true) {
                    val connection = connections.removeLastOrNull() ?: return null
                    count--
                    if (!connection.expired(now) && connection.looksUsable()) return connection
                    discarded += connection
                }
            }
        } finally {
            discarded.forEach { it.closeQuietly() }
        }
    }

    /** Keeps [connection] for the next exchange to its origin, or closes it when the pool is full or closed. */
    fun put(connection: Http1Connection) {
        val discarded = ArrayList<Http1Connection>(0)
        var wakeSweeper = false
        synchronized(this) {
            val now = System.nanoTime()
            val limit = minOf(idleTimeoutNanos, connection.serverIdleLimitNanos)
            if (count >= capacity) removeStale(now, discarded)
            if (closed || limit <= 0 || count >= capacity) {
                discarded += connection
            } else {
                connection.idleSince = now
                connection.idleLimitNanos = limit
                idle.getOrPut(connection.origin) { ArrayDeque() }.addLast(connection)
                count++
                if (sweeperWaiting) {
                    sweeperWaiting = false
                    wakeSweeper = true
                }
            }
        }
        if (wakeSweeper) wake.trySend(Unit)
        discarded.forEach { it.closeQuietly() }
    }

    override fun close() {
        val all = synchronized(this) {
            closed = true
            idle.values.flatten().also {
                idle.clear()
                count = 0
            }
        }
        sweeper.cancel()
        all.forEach { it.closeQuietly() }
    }

    private suspend fun sweepWhileIdle() {
        while (true) {
            wake.receive()
            while (true) {
                val wait = sweep() ?: break
                delay(wait.nanoseconds)
            }
        }
    }

    /**
     * Closes the idle connections that are stale now; returns how long to wait before the next look, or `null` when
     * nothing is idle (the sweeper then waits to be woken by a [put]).
     */
    private fun sweep(): Long? {
        val discarded = ArrayList<Http1Connection>(0)
        val wait = synchronized(this) {
            val now = System.nanoTime()
            removeStale(now, discarded)
            if (closed || count == 0) {
                sweeperWaiting = true
                null
            } else {
                var next = checkIntervalNanos
                for (connections in idle.values) {
                    for (connection in connections) next = minOf(next, connection.idleLimitNanos - (now - connection.idleSince))
                }
                maxOf(next, MIN_WAIT_NANOS)
            }
        }
        discarded.forEach { it.closeQuietly() }
        return wait
    }

    /** Moves the connections idle past their limit, closed by their server or holding unasked bytes to [discarded]. */
    private fun removeStale(now: Long, discarded: MutableList<Http1Connection>) {
        val origins = idle.values.iterator()
        while (origins.hasNext()) {
            val connections = origins.next()
            val before = connections.size
            connections.removeAll { connection -> (connection.expired(now) || !connection.looksUsable()).also { if (it) discarded += connection } }
            count -= before - connections.size
            if (connections.isEmpty()) origins.remove()
        }
    }

    private fun Http1Connection.expired(now: Long) = now - idleSince >= idleLimitNanos

    private fun Http1Connection.closeQuietly() {
        try {
            close()
        } catch (_: Exception) {
            // Closing a connection nobody will use again: there is nothing to report.
        }
    }

    companion object {
        /** How often idle connections are looked at for a close by their server: soon enough to free their sockets. */
        const val CHECK_INTERVAL_NANOS: Long = 1_000_000_000L

        /** The shortest wait between two looks, so that a deadline reached within a clock tick does not spin. */
        private const val MIN_WAIT_NANOS: Long = 1_000_000L
    }
}
