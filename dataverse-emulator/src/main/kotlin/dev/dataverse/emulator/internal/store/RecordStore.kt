package dev.dataverse.emulator.internal.store

import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/** The records of every table, plus the global row version counter that drives `@odata.etag`. */
internal class RecordStore(private val catalog: MetadataCatalog) {
    private val tables = ConcurrentHashMap<String, TableStore>()
    private val versions = AtomicLong(INITIAL_VERSION)

    /** The store of [table], created on first use. */
    fun table(table: TableDefinition): TableStore = tables.computeIfAbsent(table.logicalName) { TableStore(table) }

    /** The store of the table with [logicalName], or null when the catalog has no such table. */
    fun table(logicalName: String): TableStore? = catalog.table(logicalName)?.let(::table)

    /** A new version number, greater than every one handed out before. */
    fun nextVersion(): Long = versions.incrementAndGet()

    /** Deletes every record of every table; version numbers keep increasing. */
    fun clear() {
        tables.values.forEach { it.clear() }
    }

    private companion object {
        const val INITIAL_VERSION = 1_000_000L
    }
}
