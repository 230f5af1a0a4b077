package dev.dataverse.emulator.internal.store

import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import java.time.Instant
import java.util.Locale
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
    fun forgetAssociations(logicalName: String, id: java.util.UUID) {
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
