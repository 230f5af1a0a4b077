package dev.dataverse.integration

import dev.dataverse.AlternateKeySpec
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

    /**
     * Creates the alternate key on `account.accountnumber` that upserts and reads by account number need, through the
     * client's tables API, as a user does on a fresh org (where no table has one), and waits until it is active. Does
     * nothing when the key exists already.
     */
    suspend fun ensureAccountNumberKey() {
        if (client.tables.keys("account").none { it.schemaName == ACCOUNT_NUMBER_KEY }) {
            client.tables.createKey("account", AlternateKeySpec(ACCOUNT_NUMBER_KEY, listOf("accountnumber")))
        }
        client.tables.awaitKey("account", ACCOUNT_NUMBER_KEY)
    }

    /** Requests the emulator served while [block] ran. */
    suspend fun requestsDuring(block: suspend () -> Unit): Long {
        val before = emulator.stats.requests
        block()
        return emulator.stats.requests - before
    }
}

/** The schema name of the key [EmulatorFixture.ensureAccountNumberKey] creates. */
const val ACCOUNT_NUMBER_KEY: String = "new_AccountNumberKey"
