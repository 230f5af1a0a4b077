package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

class ServiceProtectionSpec : FunSpec({

    test("the default limit is the service's 52") {
        DataverseEmulator.start().use { it.concurrencyLimit shouldBe 52 }
    }

    test("requests beyond the concurrency limit get 429 0x80072326 with Retry-After at once, and are counted") {
        DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 2, concurrencyRetryAfterSeconds = 4)).use { emulator ->
            emulator.faults().add(FaultRule(FaultKind.LATENCY, pathPattern = "WhoAmI", latencyMillis = 600_000))
            TestClient(emulator).use { client ->
                coroutineScope {
                    val slow = (1..2).map { launch { client.get("WhoAmI") } }
                    awaitUntil("two slow requests are in flight") { emulator.stats.inFlight == 2 }
                    val refused = (1..8).map { async { client.get("accounts") } }.awaitAll()
                    refused.map { it.status }.toSet() shouldBe setOf(429)
                    refused.forEach { response ->
                        response.headers["Retry-After"] shouldBe "4"
                        response.errorCode shouldBe "0x80072326"
                        response.errorMessage shouldBe "Number of concurrent requests exceeded the limit of 2."
                    }
                    slow.forEach { it.cancelAndJoin() }
                }
                awaitUntil("the cancelled requests are noticed") { emulator.stats.inFlight == 0 }
                client.get("accounts").status shouldBe 200
                emulator.stats.throttled shouldBe 8
                emulator.stats.maxInFlight shouldBe 2
                emulator.stats.requests shouldBe 11
            }
        }
    }

    test("ten slow concurrent requests against a limit of 2: never more than 2 admitted, every refusal counted") {
        DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 2)).use { emulator ->
            emulator.faults().add(FaultRule(FaultKind.LATENCY, latencyMillis = 300))
            TestClient(emulator).use { client ->
                val statuses = coroutineScope { (1..10).map { async { client.get("WhoAmI").status } }.awaitAll() }
                statuses.count { it == 200 } + statuses.count { it == 429 } shouldBe 10
                statuses.count { it == 429 }.toLong() shouldBe emulator.stats.throttled
                emulator.stats.maxInFlight shouldBeLessThanOrEqual 2
            }
        }
    }

    test("the limit can be changed at runtime; 0 means unlimited") {
        DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 1)).use { emulator ->
            emulator.faults().add(FaultRule(FaultKind.LATENCY, pathPattern = "WhoAmI", latencyMillis = 600_000))
            emulator.concurrencyLimit = 0
            TestClient(emulator).use { client ->
                coroutineScope {
                    val slow = (1..10).map { launch { client.get("WhoAmI") } }
                    awaitUntil("ten slow requests are in flight") { emulator.stats.inFlight == 10 }
                    emulator.concurrencyLimit = 10
                    client.get("accounts").status shouldBe 429
                    emulator.concurrencyLimit = 11
                    client.get("accounts").status shouldBe 200
                    slow.forEach { it.cancelAndJoin() }
                }
                emulator.stats.maxInFlight shouldBe 11
                emulator.stats.throttled shouldBe 1
            }
        }
    }

    test("admin requests are never throttled or counted") {
        DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 1)).use { emulator ->
            emulator.faults().add(FaultRule(FaultKind.LATENCY, pathPattern = "WhoAmI", latencyMillis = 600_000))
            TestClient(emulator).use { client ->
                coroutineScope {
                    val slow = launch { client.get("WhoAmI") }
                    awaitUntil("the slow request is in flight") { emulator.stats.inFlight == 1 }
                    val stats = client.get("${emulator.baseUrl}/_emulator/stats")
                    stats.status shouldBe 200
                    stats.json.text("inFlight") shouldBe "1"
                    slow.cancelAndJoin()
                }
                emulator.stats.requests shouldBe 1
            }
        }
    }

    test("one hundred requests cancelled by their client while in flight are noticed as disconnects") {
        DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 0)).use { emulator ->
            emulator.faults().add(FaultRule(FaultKind.LATENCY, latencyMillis = 600_000))
            TestClient(emulator).use { client ->
                coroutineScope {
                    val calls = (1..100).map { launch { client.post("accounts", """{"name":"Abandoned $it"}""") } }
                    awaitUntil("a hundred slow requests are in flight") { emulator.stats.inFlight == 100 }
                    calls.forEach { it.cancelAndJoin() }
                }
                awaitUntil("a hundred disconnects are counted") { emulator.stats.disconnects == 100L }
                awaitUntil("no request is left in flight") { emulator.stats.inFlight == 0 }
                emulator.recordCount("account") shouldBe 0
                emulator.faults().clear()
                client.get("accounts").values shouldHaveSize 0
                emulator.stats.disconnects shouldBe 100
            }
        }
    }
})
