package dev.dataverse.internal.transport.cio

/**
 * The idle connections of [CioWireTransport], by origin, at most [capacity] in all. The most recently returned
 * connection is taken first (the likeliest to be still open, and it lets the others age out). A connection idle for
 * longer than [idleTimeoutNanos], closed by its peer or holding unasked bytes is closed instead of being handed out.
 * There is no timer: idle connections are checked when one is taken or returned, and all of them when the pool closes.
 */
internal class Http1Pool(private val capacity: Int, private val idleTimeoutNanos: Long) : AutoCloseable {
    private val idle = HashMap<String, ArrayDeque<Http1Connection>>()
    private var count = 0
    private var closed = false

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
                    if (now - connection.idleSince < idleTimeoutNanos && connection.looksUsable()) return connection
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
        synchronized(this) {
            val now = System.nanoTime()
            // The oldest come first in each queue: drop those that have been idle too long.
            for (connections in idle.values) {
                while (connections.isNotEmpty() && now - connections.first().idleSince >= idleTimeoutNanos) {
                    discarded += connections.removeFirst()
                    count--
                }
            }
            if (closed || count >= capacity) {
                discarded += connection
            } else {
                connection.idleSince = now
                idle.getOrPut(connection.origin) { ArrayDeque() }.addLast(connection)
                count++
            }
        }
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
        all.forEach { it.closeQuietly() }
    }

    private fun Http1Connection.closeQuietly() {
        try {
            close()
        } catch (_: Exception) {
            // Closing a connection nobody will use again: there is nothing to report.
        }
    }
}
