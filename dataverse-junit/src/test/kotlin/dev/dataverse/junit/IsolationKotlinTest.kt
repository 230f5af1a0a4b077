package dev.dataverse.junit

import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder
import org.junit.jupiter.api.extension.RegisterExtension

/**
 * The README's Kotlin form: the extension in a companion object (`@JvmField`, so JUnit sees a static field), a
 * `@JvmStatic @BeforeAll` seeding through the suspend client. Isolated by default, like the Java forms: the throttling
 * rule and the records of the first test do not reach the second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class IsolationKotlinTest {
    companion object {
        @JvmField
        @RegisterExtension
        val dataverse = DataverseEmulatorExtension(EmulatorOptions(maxPageSize = 2))

        @JvmStatic
        @BeforeAll
        fun seed(client: DataverseClient): Unit = runBlocking {
            for (name in listOf("Alpha", "Beta", "Gamma")) client.records.create("account", mapOf("name" to name))
        }
    }

    private suspend fun DataverseClient.accountNames(): List<String> = records.list("account").map { it.getString("name").orEmpty() }.toList().sorted()

    @Test
    @Order(1)
    fun `the first test throttles every call and deletes the seed`(client: DataverseClient, emulator: DataverseEmulator) = runBlocking {
        assertEquals(listOf("Alpha", "Beta", "Gamma"), client.accountNames(), "three seeds over two pages")
        client.records.list("account").toList().forEach { client.records.delete("account", it.id!!) }
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, retryAfterSeconds = 30))
        assertEquals(0, emulator.recordCount("account"))
    }

    @Test
    @Order(2)
    fun `the second test starts from the seeds without the throttling rule`(client: DataverseClient, emulator: DataverseEmulator) = runBlocking {
        assertEquals(emptyList<FaultRule>(), emulator.faults().rules())
        assertEquals(listOf("Alpha", "Beta", "Gamma"), client.accountNames())
        assertEquals(0L, emulator.stats.faultsInjected)
    }
}
