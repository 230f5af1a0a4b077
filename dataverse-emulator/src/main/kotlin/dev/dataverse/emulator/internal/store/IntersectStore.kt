package dev.dataverse.emulator.internal.store

import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/**
 * The intersect rows of one many-to-many relationship: pairs of (entity 1 record id, entity 2 record id). Associating
 * an associated pair again is a no-op here; the handler decides whether the service would call it a duplicate.
 * Changes made inside a [RecordStore.atomically] transaction are noted in its [UndoLog], so a change set that rolls
 * back also undoes the links it made or removed.
 */
internal class IntersectStore(private val journal: ThreadLocal<UndoLog?>) {
    private val pairs = ConcurrentHashMap.newKeySet<Pair<UUID, UUID>>()

    /** Associates [entity1Id] with [entity2Id]; returns false when they already were. */
    fun associate(entity1Id: UUID, entity2Id: UUID): Boolean {
        val pair = entity1Id to entity2Id
        return pairs.add(pair).also { added -> if (added) journal.get()?.onRollback { pairs.remove(pair) } }
    }

    /** Removes the association; returns whether it existed. */
    fun disassociate(entity1Id: UUID, entity2Id: UUID): Boolean {
        val pair = entity1Id to entity2Id
        return pairs.remove(pair).also { removed -> if (removed) journal.get()?.onRollback { pairs.add(pair) } }
    }

    /** Ids of entity 2 records associated with [entity1Id]. */
    fun entity2Of(entity1Id: UUID): Set<UUID> = pairs.filter { it.first == entity1Id }.mapTo(HashSet()) { it.second }

    /** Ids of entity 1 records associated with [entity2Id]. */
    fun entity1Of(entity2Id: UUID): Set<UUID> = pairs.filter { it.second == entity2Id }.mapTo(HashSet()) { it.first }

    /** Removes every association of the entity 1 record [id] (when [asEntity1]) or of the entity 2 record [id]. */
    fun forget(id: UUID, asEntity1: Boolean) {
        val removed = pairs.filter { (if (asEntity1) it.first else it.second) == id }
        pairs.removeAll(removed.toSet())
        if (removed.isNotEmpty()) journal.get()?.onRollback { pairs.addAll(removed) }
    }

    fun clear() {
        pairs.clear()
    }

    /** The associated pairs now, as a copy. */
    fun pairs(): Set<Pair<UUID, UUID>> = HashSet(pairs)

    /** Replaces every association with [associated]. */
    fun load(associated: Set<Pair<UUID, UUID>>) {
        pairs.clear()
        pairs.addAll(associated)
    }
}
