package dev.dataverse.emulator.internal.store

import java.time.Instant
import java.util.UUID

/**
 * An immutable snapshot of a record. [values] maps column logical names to stored values
 * (String, Int, Long, BigDecimal, Boolean, Instant, LocalDate, UUID or [LookupValue]); a missing column is null.
 */
internal class StoredRecord(
    val id: UUID,
    val values: Map<String, Any?>,
    val version: Long,
) {
    /** The stored value of column [logicalName], or null. */
    operator fun get(logicalName: String): Any? = values[logicalName]
}

/** A deleted record as change tracking remembers it: its id, the version its deletion took, and when it happened. */
internal class Tombstone(val id: UUID, val version: Long, val at: Instant)
