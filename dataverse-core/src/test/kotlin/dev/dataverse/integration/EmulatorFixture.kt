package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.Records
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.core.spec.Spec
import io.kotest.core.listeners.AfterSpecListener
import io.kotest.core.listeners.BeforeSpecListener

/** One emulator on a free loopback port and one client connected to it, for the lifetime of a spec. */
class EmulatorFixture(private val options: EmulatorOptions = EmulatorOptions()) : BeforeSpecListener, AfterSpecListener {
    lateinit var emulator: DataverseEmulator
        private set
    lateinit var client: DataverseClient
        private set
    val records: Records get() = client.records

    override suspend fun beforeSpec(spec: Spec) {
        emulator = DataverseEmulator.start(options)
        client = DataverseClient {
            environmentUrl(emulator.baseUrl)
            token(options.requiredToken ?: "test-token")
        }
    }

    override suspend fun afterSpec(spec: Spec) {
        client.close()
        emulator.close()
    }

    /** Requests the emulator served while [block] ran. */
    suspend fun requestsDuring(block: suspend () -> Unit): Long {
        val before = emulator.stats.requests
        block()
        return emulator.stats.requests - before
    }
}
