package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope

class ConcurrencySpec : FunSpec({
    // Unlimited: these tests are about concurrent writes, not about the service-protection limit (see ServiceProtectionSpec).
    val emulator = DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 0))
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }

    test("60 concurrent creates all land, with distinct ids, and are counted") {
        emulator.reset()
        val ids = coroutineScope {
            (1..60).map { index -> async { client.create("accounts", """{"name":"Parallel $index"}""") } }.awaitAll()
        }
        ids.toSet() shouldHaveSize 60
        emulator.recordCount("account") shouldBe 60
        emulator.stats.requests shouldBeGreaterThanOrEqual 60L
        emulator.stats.maxInFlight shouldBeGreaterThanOrEqual 1
    }

    test("concurrent upserts on one alternate key create exactly one record") {
        emulator.reset()
        val statuses = coroutineScope {
            (1..50).map { index -> async { client.patch("accounts(accountnumber='SAME')", """{"name":"Writer $index"}""").status } }.awaitAll()
        }
        statuses.toSet() shouldBe setOf(204)
        emulator.recordCount("account") shouldBe 1
    }

    test("concurrent conditional updates: exactly one wins per version") {
        emulator.reset()
        val id = client.create("accounts", """{"name":"Contended"}""")
        val etag = client.get("accounts($id)").json.text("@odata.etag")!!
        val statuses = coroutineScope {
            (1..20).map { index -> async { client.patch("accounts($id)", """{"name":"Winner $index"}""", mapOf("If-Match" to etag)).status } }.awaitAll()
        }
        statuses.count { it == 204 } shouldBe 1
        statuses.count { it == 412 } shouldBe 19
    }
})
