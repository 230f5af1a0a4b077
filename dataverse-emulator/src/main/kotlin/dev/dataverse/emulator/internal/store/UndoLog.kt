package dev.dataverse.emulator.internal.store

import java.util.UUID

/**
 * The states records had before a transaction changed them, so that a failed change set or bulk action can put
 * every record back as it was. Entries are undone newest first, which restores alternate-key claims in the order
 * they were made.
 */
internal class UndoLog {
    private class Entry(val store: TableStore, val id: UUID, val previous: StoredRecord?)

    private val entries = ArrayList<Entry>()

    /** The number of entries; a savepoint for [rollbackTo]. */
    val size: Int get() = entries.size

    /** Notes that record [id] of [store] is about to change; [previous] is its state now (null: it does not exist). */
    fun record(store: TableStore, id: UUID, previous: StoredRecord?) {
        entries += Entry(store, id, previous)
    }

    /** Undoes the changes noted after [savepoint], newest first, and forgets them. The caller holds the tables' locks. */
    fun rollbackTo(savepoint: Int) {
        for (index in entries.lastIndex downTo savepoint) {
            val entry = entries[index]
            entry.store.restore(entry.id, entry.previous)
        }
        entries.subList(savepoint, entries.size).clear()
    }
}
