package dev.dataverse.emulator.internal.store

import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/**
 * The intersect rows of one many-to-many relationship: pairs of (entity 1 record id, entity 2 record id). Associating
 * an associated pair again is a no-op here; the handler decides whether the service would call it a duplicate.
 * Not part of [RecordStore.atomically] transactions: a failed change set does not undo its associations.
 */
internal class IntersectStore {
    private val pairs = ConcurrentHashMap.newKeySet<Pair<UUID, UUID>>()

    /** Associates [entity1Id] with [entity2Id]; returns false when they already were. */
    fun associate(entity1Id: UUID, entity2Id: UUID): Boolean = pairs.add(entity1Id to entity2Id)

    /** Removes the association; returns whether it existed. */
    fun disassociate(entity1Id: UUID, entity2Id: UUID): Boolean = pairs.remove(entity1Id to entity2Id)

    /** Ids of entity 2 records associated with [entity1Id]. */
    fun entity2Of(entity1Id: UUID): Set<UUID> = pairs.filter { it.first == entity1Id }.mapTo(HashSet()) { it.second }

    /** Ids of entity 1 records associated with [entity2Id]. */
    fun entity1Of(entity2Id: UUID): Set<UUID> = pairs.filter { it.second == entity2Id }.mapTo(HashSet()) { it.first }

    /** Removes every association of the entity 1 record [id] (when [asEntity1]) or of the entity 2 record [id]. */
    fun forget(id: UUID, asEntity1: Boolean) {
        pairs.removeIf { (if (asEntity1) it.first else it.second) == id }
    }

    fun clear() {
        pairs.clear()
    }
}
