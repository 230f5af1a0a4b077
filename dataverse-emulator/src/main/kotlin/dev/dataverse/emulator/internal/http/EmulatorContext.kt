package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.records.PayloadReader
import dev.dataverse.emulator.internal.records.RecordWriter
import dev.dataverse.emulator.internal.store.RecordStore
import java.util.UUID

/** The identity WhoAmI reports: stable for the life of one emulator. */
internal data class Identity(val userId: UUID, val businessUnitId: UUID, val organizationId: UUID) {
    companion object {
        fun random(): Identity = Identity(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())
    }
}

/** Everything the handlers share: options, metadata, records, identity and the address the server listens on. */
internal class EmulatorContext(
    val options: EmulatorOptions,
    val catalog: MetadataCatalog,
    val store: RecordStore,
    val identity: Identity = Identity.random(),
) {
    val writer: RecordWriter = RecordWriter(store)
    val payloads: PayloadReader = PayloadReader(catalog, store)

    /** `http://127.0.0.1:<port>`; set once the server knows its port. */
    @Volatile
    var baseUrl: String = "http://$HOST:${options.port}"

    /** The API root URL, `<baseUrl>/api/data/v9.2`. */
    val apiUrl: String get() = baseUrl + API_ROOT_PATH

    companion object {
        const val HOST: String = "127.0.0.1"
        const val API_ROOT_PATH: String = "/api/data/v9.2"
    }
}
