package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.StoredFile
import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.store.TableStore
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/** A record as search sees it: its table, its stored values, and the words of its columns. */
internal class SearchDocument(val table: TableDefinition, val record: StoredRecord, private val entry: SearchIndex.Entry) {
    /** The text of column [column] as search reads it, or null when it holds none. */
    fun text(column: String): String? = entry.text(column)

    /** The words of column [column]. */
    fun tokens(column: String): List<TextToken> = entry.tokens(column)
}

/**
 * The words of every searchable record, kept per record version: a record written since it was last read is analysed
 * again on the next search, and records deleted since are dropped then, so the index follows the store without the
 * store knowing about it.
 */
internal class SearchIndex {
    private val tables = ConcurrentHashMap<String, ConcurrentHashMap<UUID, Entry>>()

    class Entry(val version: Long, private val record: StoredRecord) {
        private val words = ConcurrentHashMap<String, List<TextToken>>()

        fun text(column: String): String? = when (val value = record[column]) {
            null, is LookupValue, is StoredFile, is UUID -> null
            is java.math.BigDecimal -> value.toPlainString()
            else -> value.toString()
        }

        fun tokens(column: String): List<TextToken> = words.getOrPut(column) { text(column)?.let(SearchText::tokens) ?: emptyList() }
    }

    /** The documents of [store]'s records, analysed lazily. */
    fun documents(store: TableStore): List<SearchDocument> {
        val table = store.table
        val entries = tables.getOrPut(table.logicalName) { ConcurrentHashMap() }
        val records = store.all()
        if (entries.size > records.size) entries.keys.retainAll(records.mapTo(HashSet()) { it.id })
        return records.map { record ->
            val entry = entries[record.id]?.takeIf { it.version == record.version } ?: Entry(record.version, record).also { entries[record.id] = it }
            SearchDocument(table, record, entry)
        }
    }

    /** Forgets everything (the emulator was reset or a table dropped). */
    fun clear() = tables.clear()
}
