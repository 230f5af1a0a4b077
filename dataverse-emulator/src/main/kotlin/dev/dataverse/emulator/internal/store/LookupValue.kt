package dev.dataverse.emulator.internal.store

import java.util.UUID

/** The stored value of a lookup column: the target table and the target record's id. */
internal data class LookupValue(val table: String, val id: UUID)
