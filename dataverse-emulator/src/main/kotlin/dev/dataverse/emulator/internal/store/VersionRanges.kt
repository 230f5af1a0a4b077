package dev.dataverse.emulator.internal.store

/**
 * A set of version numbers kept as disjoint closed ranges, merged as they are added: the versions of abandoned states
 * (see [RecordStore.load]). Restoring the same image again and again adds ranges that overlap, so the set stays small.
 */
internal class VersionRanges {
    @Volatile
    private var ranges: List<LongRange> = emptyList()

    /** Adds the versions [first] through [last]; nothing when [last] is below [first]. */
    @Synchronized
    fun add(first: Long, last: Long) {
        if (last < first) return
        var merged = first..last
        val kept = ArrayList<LongRange>()
        for (range in ranges) {
            if (range.last + 1 < merged.first || merged.last + 1 < range.first) {
                kept += range
            } else {
                merged = minOf(range.first, merged.first)..maxOf(range.last, merged.last)
            }
        }
        kept += merged
        ranges = kept.sortedBy { it.first }
    }

    operator fun contains(version: Long): Boolean = ranges.any { version in it }

    /** The ranges, in order; for tests. */
    fun ranges(): List<LongRange> = ranges
}
