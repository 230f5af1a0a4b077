package dev.dataverse.emulator.internal.store

import java.util.UUID

/**
 * Orders GUIDs as their canonical lowercase text sorts (unsigned 128-bit order), unlike [UUID.compareTo],
 * which compares signed halves. Paging by primary id relies on this order being the text order clients see.
 */
internal object GuidOrder : Comparator<UUID> {
    override fun compare(a: UUID, b: UUID): Int {
        val high = java.lang.Long.compareUnsigned(a.mostSignificantBits, b.mostSignificantBits)
        return if (high != 0) high else java.lang.Long.compareUnsigned(a.leastSignificantBits, b.leastSignificantBits)
    }
}
