package dev.dataverse.emulator.internal.store

import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import java.time.Instant
import java.util.Locale
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * The records of every table, plus the global row version counter that drives `@odata.etag`, and transactions
 * over several writes ([atomically]).
 */
internal class RecordStore(private val catalog: MetadataCatalog, private val clock: () -> Instant = Instant::now) {
    private val tables = ConcurrentHashMap<String, TableStore>()
    private val versions = AtomicLong(INITIAL_VERSION)

    /** The undo log of the transaction the current thread runs, if any; table writers note their changes in it. */
    private val journal = ThreadLocal<UndoLog?>()

    /** Intersect rows of many-to-many relationships, by lowercase relationship schema name. */
    private val intersects = ConcurrentHashMap<String, IntersectStore>()

    /** The versions of states [load] abandoned. */
    private val withdrawn = VersionRanges()

    /** The store of [table], created on first use (with the catalog's current definition of it). */
    fun table(table: TableDefinition): TableStore =
        tables.computeIfAbsent(table.logicalName) { TableStore(catalog.table(it) ?: table, journal, ::nextVersion, clock) }

    /** Forgets the records of the table [logicalName] (the table was deleted). */
    fun drop(logicalName: String) {
        tables.remove(logicalName)
    }

    /** The intersect rows of many-to-many relationship [schemaName], created on first use. */
    fun intersect(schemaName: String): IntersectStore =
        intersects.computeIfAbsent(schemaName.lowercase(Locale.ROOT)) { IntersectStore(journal) }

    /** Forgets the intersect rows of many-to-many relationship [schemaName] (the relationship was deleted). */
    fun dropIntersect(schemaName: String) {
        intersects.remove(schemaName.lowercase(Locale.ROOT))
    }

    /** Removes the many-to-many associations of the deleted record [id] of table [logicalName]. */
    fun forgetAssociations(logicalName: String, id: UUID) {
        for (relationship in catalog.manyToManyRelationships()) {
            val links = intersects[relationship.schemaName.lowercase(Locale.ROOT)] ?: continue
            if (relationship.entity1 == logicalName) links.forget(id, asEntity1 = true)
            if (relationship.entity2 == logicalName) links.forget(id, asEntity1 = false)
        }
    }

    /** The store of the table with [logicalName], or null when the catalog has no such table. */
    fun table(logicalName: String): TableStore? = catalog.table(logicalName)?.let(::table)

    /** A new version number, greater than every one handed out before. */
    fun nextVersion(): Long = versions.incrementAndGet()

    /** The last version number handed out. */
    fun currentVersion(): Long = versions.get()

    /**
     * The records of every table and the many-to-many links now, for [load]. Consistent only while nothing writes: the
     * emulator takes it with requests held back (see `RequestGate`).
     */
    fun image(): Image = Image(
        version = currentVersion(),
        tables = tables.mapValues { (_, store) -> store.image() },
        intersects = intersects.mapValues { (_, links) -> links.pairs() },
    )

    /**
     * Puts every table and link back as [image] holds them: tables created since lose their store, tables deleted since
     * get theirs back. Version numbers keep increasing, so records written afterwards never take a version a record of
     * the abandoned state had; change tokens issued for that abandoned state are withdrawn ([isWithdrawn]), while tokens
     * from before the image stay good, as the records they were issued for are back at their versions.
     */
    fun load(image: Image) {
        tables.keys.retainAll(image.tables.keys)
        for ((name, tableImage) in image.tables) {
            tables.computeIfAbsent(name) { TableStore(tableImage.table, journal, ::nextVersion, clock) }.load(tableImage)
        }
        intersects.keys.retainAll(image.intersects.keys)
        for ((name, pairs) in image.intersects) intersects.computeIfAbsent(name) { IntersectStore(journal) }.load(pairs)
        // The versions handed out since the image was taken; the new one marks the restored state, which tokens may read.
        withdrawn.add(image.version + 1, nextVersion() - 1)
    }

    /**
     * Whether version [version] belongs to a state that [load] abandoned (it was handed out after the image was taken and
     * before it was loaded): a change token that read up to it describes records that are no longer there.
     */
    fun isWithdrawn(version: Long): Boolean = version in withdrawn

    /** Every table and link at one moment; see [image]. */
    class Image(
        /** The last version handed out when the image was taken. */
        val version: Long,
        val tables: Map<String, TableStore.Image>,
        val intersects: Map<String, Set<Pair<UUID, UUID>>>,
    ) {
        /** The files the records refer to, whose content must outlive the records' deletion while the image is kept. */
        fun fileIds(): Set<UUID> {
            val ids = HashSet<UUID>()
            for (table in tables.values) {
                val columns = table.table.columns.filter { it.type.isFile }.map { it.logicalName }
                if (columns.isEmpty()) continue
                for (record in table.rows.values) columns.forEach { column -> (record[column] as? StoredFile)?.let { ids += it.id } }
            }
            return ids
        }
    }

    /** Deletes every record of every table; version numbers keep increasing. */
    fun clear() {
        tables.values.forEach { it.clear() }
        intersects.values.forEach { it.clear() }
    }

    /**
     * Runs [action] as one transaction over [tables]: no other thread writes to them meanwhile, and when [action]
     * throws, every record it created, changed or deleted is put back as it was before the exception propagates.
     *
     * Locks are taken in logical-name order, so two transactions never wait for each other in a cycle. A transaction
     * started inside another one (a bulk action inside a change set) joins it with a savepoint; it may only use tables
     * the outer transaction holds, since taking another lock then could break that order.
     */
    fun <T> atomically(tables: Collection<TableDefinition>, action: () -> T): T {
        val stores = tables.map(::table).distinct().sortedBy { it.table.logicalName }
        val outer = journal.get()
        if (outer != null) {
            stores.forEach { check(it.isLockedByCurrentThread) { "A nested transaction needs table '${it.table.logicalName}', which the outer one does not hold" } }
            val savepoint = outer.size
            try {
                return action()
            } catch (e: Throwable) {
                outer.rollbackTo(savepoint)
                throw e
            }
        }
        stores.forEach { it.lock() }
        val log = UndoLog()
        journal.set(log)
        try {
            return action()
        } catch (e: Throwable) {
            log.rollbackTo(0)
            throw e
        } finally {
            journal.remove()
            stores.asReversed().forEach { it.unlock() }
        }
    }

    private companion object {
        const val INITIAL_VERSION = 1_000_000L
    }
}
