package dev.dataverse.emulator.internal.store

import java.util.UUID

/**
 * The stored value of a file or image column: a reference to a file whose content lives outside the record (in the
 * emulator's file store, keyed by [id]). A record read returns [id] as the column's value and [name] as the read-only
 * `<column>_name` property; `RecordWriter.updateFile` keeps both in step. Payloads of creates and updates cannot set it.
 */
internal data class StoredFile(
    val id: UUID,
    val name: String,
    val sizeInBytes: Long = 0,
    val mimeType: String = "application/octet-stream",
)
