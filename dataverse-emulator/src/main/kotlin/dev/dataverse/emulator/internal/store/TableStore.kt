package dev.dataverse.emulator.internal.store

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.TableDefinition
import java.math.BigDecimal
import java.time.Instant
import java.util.Locale
import java.util.SortedMap
import java.util.TreeMap
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentSkipListMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * The records of one table. Reads are lock-free over immutable snapshots ordered by primary id; writes run
 * one at a time under the table's lock so check-then-write sequences (conditional updates, duplicate checks,
 * alternate-key uniqueness) are atomic. Inside a transaction ([RecordStore.atomically]) every change is noted in
 * the transaction's [UndoLog] first.
 */
internal class TableStore(
    table: TableDefinition,
    private val journal: ThreadLocal<UndoLog?>,
    /** Hands out the store's next row version; a deletion gets one too, so change tracking can order it among writes. */
    private val nextVersion: () -> Long = { 0L },
    private val clock: () -> Instant = Instant::now,
) {
    /** Replaced as a whole by [load]; readers that already hold the previous map keep reading a consistent one. */
    @Volatile
    private var rows = ConcurrentSkipListMap<UUID, StoredRecord>(GuidOrder)

    /** One index per alternate key that could be built; a key whose records held duplicates has none. */
    private val keyIndexes = ConcurrentHashMap<String, ConcurrentHashMap<List<Any>, UUID>>()

    /** The table's current definition; replaced by [redefine] when its columns or keys change. */
    @Volatile
    var table: TableDefinition = table
        private set

    init {
        table.keys.forEach { keyIndexes[it.logicalName] = ConcurrentHashMap() }
    }
    private val count = AtomicInteger()

    /** Deleted records, for change tracking: a record created again with the same id leaves this map. */
    private val tombstones = ConcurrentHashMap<UUID, Tombstone>()

    /** The last version handed out when the table was last cleared: change tokens up to it no longer hold. */
    @Volatile
    var clearedAtVersion: Long = 0
        private set
    private val lock = ReentrantLock()
    private val writer = Writer()

    /** Number of records. */
    val size: Int get() = count.get()

    /** Whether the current thread holds this table's write lock. */
    val isLockedByCurrentThread: Boolean get() = lock.isHeldByCurrentThread

    /** The record with primary id [id], or null. */
    fun get(id: UUID): StoredRecord? = rows[id]

    /** The record whose [key] columns hold [values] (stored representations, in key order), or null. */
    fun findByKey(key: AlternateKeyDefinition, values: List<Any?>): StoredRecord? {
        val indexKey = indexKey(values) ?: return null
        val id = keyIndexes[key.logicalName]?.get(indexKey) ?: return null
        return rows[id]
    }

    /** All records in primary id order. */
    fun all(): Collection<StoredRecord> = rows.values

    /**
     * The records written (created or updated) after version [after] up to [upTo], in version order: each record once,
     * at its latest version. Versions only grow, so a record written again meanwhile leaves the range rather than
     * moving within it, and a reader paging by version never skips one.
     */
    fun writtenBetween(after: Long, upTo: Long): List<StoredRecord> =
        rows.values.filter { it.version > after && it.version <= upTo }.sortedBy { it.version }

    /** The records deleted after version [after] up to [upTo] (and not created again since), in version order. */
    fun deletedBetween(after: Long, upTo: Long): List<Tombstone> =
        tombstones.values.filter { it.version > after && it.version <= upTo }.sortedBy { it.version }

    /** Forgets deletions made before [instant]; change tokens that old are refused anyway. */
    fun forgetDeletionsBefore(instant: Instant) {
        tombstones.values.removeIf { it.at.isBefore(instant) }
    }

    /**
     * The version a change listing reads up to, taken under the write lock: every write that took a version up to it has
     * been stored (versions are taken and stored under the same lock), so nothing at or below it can still appear.
     */
    fun settledVersion(current: () -> Long): Long = lock.withLock { current() }

    /** Records whose primary id sorts after [id], in primary id order. */
    fun after(id: UUID): Collection<StoredRecord> = rows.tailMap(id, false).values

    /**
     * Runs [action] with exclusive write access to this table. Inside a transaction the lock is already held: taking
     * it here would be taking it out of the transaction's order.
     */
    fun <T> write(action: (Writer) -> T): T {
        check(journal.get() == null || lock.isHeldByCurrentThread) {
            "Table '${table.logicalName}' is written inside a transaction that does not hold its lock"
        }
        return lock.withLock { action(writer) }
    }

    /**
     * Switches to [definition]: values of columns it no longer has are dropped from every record (so a column added
     * again later starts empty), indexes of removed keys are dropped and indexes of new keys are built. Returns the
     * logical names of new keys whose index could not be built because records share values of the key's columns.
     */
    fun redefine(definition: TableDefinition): Set<String> = lock.withLock {
        val columns = definition.columns.map { it.logicalName }.toSet()
        for (record in rows.values) {
            if (record.values.keys.all { it in columns }) continue
            rows[record.id] = StoredRecord(record.id, record.values.filterKeys { it in columns }, record.version)
        }
        val keys = definition.keys.map { it.logicalName }.toSet()
        keyIndexes.keys.retainAll(keys)
        val failed = HashSet<String>()
        for (key in definition.keys) {
            if (keyIndexes.containsKey(key.logicalName) || key.failed) continue
            val index = ConcurrentHashMap<List<Any>, UUID>()
            val unique = rows.values.all { record ->
                val indexKey = indexKey(key.keyAttributes.map { record[it] }) ?: return@all true
                index.putIfAbsent(indexKey, record.id) == null
            }
            if (unique) keyIndexes[key.logicalName] = index else failed += key.logicalName
        }
        table = definition
        failed
    }

    /** Deletes every record. */
    fun clear() {
        lock.withLock {
            rows.clear()
            keyIndexes.values.forEach { it.clear() }
            count.set(0)
            tombstones.clear()
            clearedAtVersion = nextVersion()
        }
    }

    /**
     * The table as it is now: definition, records, key indexes, deletions and the last clear. Records are immutable, so
     * the image shares them and costs one map entry per record; taken under the write lock, so no write is half-seen.
     */
    fun image(): Image = lock.withLock {
        Image(
            table = table,
            rows = TreeMap(rows),
            keyIndexes = keyIndexes.mapValues { (_, index) -> HashMap(index) },
            tombstones = HashMap(tombstones),
            clearedAtVersion = clearedAtVersion,
        )
    }

    /** Puts the table back as [image] holds it, replacing every record, index and deletion. */
    fun load(image: Image): Unit = lock.withLock {
        table = image.table
        rows = ConcurrentSkipListMap(image.rows)
        keyIndexes.clear()
        image.keyIndexes.forEach { (key, index) -> keyIndexes[key] = ConcurrentHashMap(index) }
        tombstones.clear()
        tombstones.putAll(image.tombstones)
        count.set(image.rows.size)
        clearedAtVersion = image.clearedAtVersion
    }

    /** A table at one moment, as [image] took it; never changed afterwards. */
    class Image(
        val table: TableDefinition,
        val rows: SortedMap<UUID, StoredRecord>,
        val keyIndexes: Map<String, Map<List<Any>, UUID>>,
        val tombstones: Map<UUID, Tombstone>,
        val clearedAtVersion: Long,
    )

    /** Takes the write lock for a transaction; see [RecordStore.atomically]. */
    fun lock() {
        lock.lock()
    }

    /** Releases the write lock taken by [lock]. */
    fun unlock() {
        lock.unlock()
    }

    /**
     * Puts record [id] back to [previous] (removing it when null), without checks or journaling: the undo of a
     * transaction, which holds the lock.
     */
    fun restore(id: UUID, previous: StoredRecord?) {
        rows.remove(id)?.let {
            unindex(it)
            count.decrementAndGet()
        }
        if (previous != null) {
            index(previous)
            rows[id] = previous
            count.incrementAndGet()
        }
    }

    /** Write operations; only reachable inside [write]. */
    inner class Writer {
        /** Stores [record], replacing the record with the same id; fails with 412 when an alternate key is taken. */
        fun put(record: StoredRecord) {
            val previous = rows[record.id]
            for ((key, indexKey) in claims(record)) {
                val owner = keyIndexes[key.logicalName]?.get(indexKey)
                if (owner != null && owner != record.id) throw ApiErrors.duplicateKeyValues(table.logicalName, key.schemaName, key.keyAttributes)
            }
            undoLog()?.record(this@TableStore, record.id, previous)
            tombstones.remove(record.id)?.let { tombstone -> undoLog()?.onRollback { tombstones[tombstone.id] = tombstone } }
            previous?.let(::unindex)
            index(record)
            if (rows.put(record.id, record) == null) count.incrementAndGet()
        }

        /** Removes the record with [id]; returns whether it existed. */
        fun remove(id: UUID): Boolean {
            val previous = rows[id] ?: return false
            undoLog()?.record(this@TableStore, id, previous)
            rows.remove(id)
            unindex(previous)
            count.decrementAndGet()
            val tombstone = Tombstone(id, nextVersion(), clock())
            tombstones[id] = tombstone
            undoLog()?.onRollback { tombstones.remove(id, tombstone) }
            return true
        }
    }

    /**
     * The transaction's undo log, if any. Elastic tables have no transactions across records (Learn: "Elastic tables",
     * Transactional behavior): their writes are not undone when a change set or bulk request fails later.
     */
    private fun undoLog(): UndoLog? = if (table.isElastic) null else journal.get()

    private fun claims(record: StoredRecord): List<Pair<AlternateKeyDefinition, List<Any>>> =
        table.keys.mapNotNull { key ->
            if (!keyIndexes.containsKey(key.logicalName)) return@mapNotNull null
            indexKey(key.keyAttributes.map { record[it] })?.let { key to it }
        }

    private fun index(record: StoredRecord) {
        claims(record).forEach { (key, indexKey) -> keyIndexes[key.logicalName]?.put(indexKey, record.id) }
    }

    private fun unindex(record: StoredRecord) {
        for ((key, indexKey) in claims(record)) keyIndexes[key.logicalName]?.remove(indexKey, record.id)
    }

    /** Key values compared as the service's case-insensitive collation does; null when a value is missing. */
    private fun indexKey(values: List<Any?>): List<Any>? =
        values.map { value ->
            when (value) {
                null -> return null
                is String -> value.lowercase(Locale.ROOT)
                is LookupValue -> value.id
                is StoredFile -> value.id
                is BigDecimal -> value.stripTrailingZeros()
                else -> value
            }
        }
}
