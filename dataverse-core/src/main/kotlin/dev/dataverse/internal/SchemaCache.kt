package dev.dataverse.internal

import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration
import kotlin.time.TimeMark
import kotlin.time.TimeSource

/**
 * Answers read from a table's metadata (its column names, choice options, navigation properties, file columns), each
 * kept for [ttl] and dropped when this client changes the table ([invalidate]). A failed load is not cached; concurrent
 * first callers may each load, since the answers are small and the same.
 *
 * An answer loaded while this client changed the table must not outlive the invalidation that change made: the table's
 * change count ([generation]) is taken before loading, and an answer stored after it moved is removed again. It is
 * stored first and checked after, so a change landing in between still removes it.
 */
internal class SchemaCache<K : Any, V : Any>(
    private val ttl: Duration,
    private val timeSource: TimeSource,
    private val generation: (table: String) -> Long,
    private val tableOf: (K) -> String,
) {
    private class Timed<V>(val value: V, val created: TimeMark)

    private val entries = ConcurrentHashMap<K, Timed<V>>()

    /** The answer cached at [key] if it has not expired, else the one [load] reads, which is cached. */
    suspend fun get(key: K, load: suspend () -> V): V {
        entries[key]?.takeIf { it.created.elapsedNow() < ttl }?.let { return it.value }
        val table = tableOf(key)
        val before = generation(table)
        val value = load()
        val timed = Timed(value, timeSource.markNow())
        entries[key] = timed
        if (generation(table) != before) entries.remove(key, timed)
        return value
    }

    /** Forgets every answer about [table]. */
    fun invalidate(table: String) {
        entries.keys.removeIf { tableOf(it) == table }
    }

    /** Forgets every answer. */
    fun invalidateAll() {
        entries.clear()
    }
}
