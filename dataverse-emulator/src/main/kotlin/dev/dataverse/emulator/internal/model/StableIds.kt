package dev.dataverse.emulator.internal.model

import java.util.UUID

/** Metadata ids derived from names, so every emulator instance reports the same ids for the same definitions. */
internal object StableIds {
    fun of(vararg parts: String): UUID = UUID.nameUUIDFromBytes(parts.joinToString("/").toByteArray(Charsets.UTF_8))
}
