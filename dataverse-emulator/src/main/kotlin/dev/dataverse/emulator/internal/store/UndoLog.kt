package dev.dataverse.emulator.internal.store

import java.util.UUID

/**
 * The states records had before a transaction changed them, and the undoing of its many-to-many links, so that a
 * failed change set or bulk action can put everything back as it was. Entries are undone newest first, which restores
 * alternate-key claims in the order they were made.
 */
internal class UndoLog {
    private val entries = ArrayList<() -> Unit>()

    /** The number of entries; a savepoint for [rollbackTo]. */
    val size: Int get() = entries.size

    /** Notes that record [id] of [store] is about to change; [previous] is its state now (null: it does not exist). */
    fun record(store: TableStore, id: UUID, previous: StoredRecord?) {
        entries += { store.restore(id, previous) }
    }

    /** Notes how to undo a change that is not a record's state, e.g. a many-to-many link made or removed. */
    fun onRollback(undo: () -> Unit) {
        entries += undo
    }

    /** Undoes the changes noted after [savepoint], newest first, and forgets them. The caller holds the tables' locks. */
    fun rollbackTo(savepoint: Int) {
        for (index in entries.lastIndex downTo savepoint) entries[index]()
        entries.subList(savepoint, entries.size).clear()
    }
}
