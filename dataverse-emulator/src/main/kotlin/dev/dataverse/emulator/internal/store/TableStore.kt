package dev.dataverse.emulator.internal.store

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.TableDefinition
import java.math.BigDecimal
import java.util.Locale
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentSkipListMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * The records of one table. Reads are lock-free over immutable snapshots ordered by primary id; writes run
 * one at a time under the table's lock so check-then-write sequences (conditional updates, duplicate checks,
 * alternate-key uniqueness) are atomic.
 */
internal class TableStore(val table: TableDefinition) {
    private val rows = ConcurrentSkipListMap<UUID, StoredRecord>(GuidOrder)
    private val keyIndexes: Map<String, ConcurrentHashMap<List<Any>, UUID>> =
        table.keys.associate { it.logicalName to ConcurrentHashMap<List<Any>, UUID>() }
    private val count = AtomicInteger()
    private val lock = ReentrantLock()
    private val writer = Writer()

    /** Number of records. */
    val size: Int get() = count.get()

    /** The record with primary id [id], or null. */
    fun get(id: UUID): StoredRecord? = rows[id]

    /** The record whose [key] columns hold [values] (stored representations, in key order), or null. */
    fun findByKey(key: AlternateKeyDefinition, values: List<Any?>): StoredRecord? {
        val indexKey = indexKey(values) ?: return null
        val id = keyIndexes.getValue(key.logicalName)[indexKey] ?: return null
        return rows[id]
    }

    /** All records in primary id order. */
    fun all(): Collection<StoredRecord> = rows.values

    /** Records whose primary id sorts after [id], in primary id order. */
    fun after(id: UUID): Collection<StoredRecord> = rows.tailMap(id, false).values

    /** Runs [action] with exclusive write access to this table. */
    fun <T> write(action: (Writer) -> T): T = lock.withLock { action(writer) }

    /** Deletes every record. */
    fun clear() {
        lock.withLock {
            rows.clear()
            keyIndexes.values.forEach { it.clear() }
            count.set(0)
        }
    }

    /** Write operations; only reachable inside [write]. */
    inner class Writer {
        /** Stores [record], replacing the record with the same id; fails with 412 when an alternate key is taken. */
        fun put(record: StoredRecord) {
            val previous = rows[record.id]
            val claims = table.keys.mapNotNull { key -> indexKey(key.keyAttributes.map { record[it] })?.let { key to it } }
            for ((key, indexKey) in claims) {
                val owner = keyIndexes.getValue(key.logicalName)[indexKey]
                if (owner != null && owner != record.id) throw ApiErrors.duplicateRecord()
            }
            previous?.let(::unindex)
            claims.forEach { (key, indexKey) -> keyIndexes.getValue(key.logicalName)[indexKey] = record.id }
            if (rows.put(record.id, record) == null) count.incrementAndGet()
        }

        /** Removes the record with [id]; returns whether it existed. */
        fun remove(id: UUID): Boolean {
            val previous = rows.remove(id) ?: return false
            unindex(previous)
            count.decrementAndGet()
            return true
        }

        private fun unindex(record: StoredRecord) {
            for (key in table.keys) {
                val indexKey = indexKey(key.keyAttributes.map { record[it] }) ?: continue
                keyIndexes.getValue(key.logicalName).remove(indexKey, record.id)
            }
        }
    }

    /** Key values compared as the service's case-insensitive collation does; null when a value is missing. */
    private fun indexKey(values: List<Any?>): List<Any>? =
        values.map { value ->
            when (value) {
                null -> return null
                is String -> value.lowercase(Locale.ROOT)
                is LookupValue -> value.id
                is BigDecimal -> value.stripTrailingZeros()
                else -> value
            }
        }
}
