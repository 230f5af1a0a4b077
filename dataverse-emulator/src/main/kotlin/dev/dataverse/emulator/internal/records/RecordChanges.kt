package dev.dataverse.emulator.internal.records

import java.util.UUID

/**
 * The validated content of a create or update payload: stored values by column logical name (in payload
 * order) and the primary id when the client supplied one.
 */
internal class RecordChanges(
    val values: Map<String, Any?>,
    val primaryId: UUID?,
)
