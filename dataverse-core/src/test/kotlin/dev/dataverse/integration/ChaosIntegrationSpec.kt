package dev.dataverse.integration

import dev.dataverse.BulkOptions
import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.ListOptions
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The client against a misbehaving service: throttling, unavailability and dropped connections (before and after the
 * service applied the request), the service-protection concurrency limit, and cancellation of requests in flight.
 * Bounded in size; the only timeouts are guards against hangs. Every test runs on each [HttpEngine].
 */
class ChaosIntegrationSpec : FunSpec({
    for (engine in HttpEngine.entries) context("on the $engine engine") {
        fun client(emulator: DataverseEmulator, configure: DataverseClient.Builder.() -> Unit = {}) = DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("chaos")
            httpEngine(engine)
            retry(RetryOptions(maxAttempts = 12, baseDelay = 5.milliseconds, maxDelay = 50.milliseconds))
            configure()
        }

        test("20,000 records imported through 10% throttling, 5% 503 and 2% resets: exactly 20,000, no duplicates, no error") {
            val faults = listOf(
                FaultRule(FaultKind.THROTTLE_REQUESTS, 0.10, retryAfterSeconds = 0),
                FaultRule(FaultKind.SERVICE_UNAVAILABLE, 0.05 / 0.90, retryAfterSeconds = 0),
                FaultRule(FaultKind.RESET_BEFORE_APPLY, 0.01 / 0.85),
                FaultRule(FaultKind.RESET_AFTER_APPLY, 0.01 / 0.84),
            ).map { FaultRule(it.kind, it.probability, setOf("POST"), "accounts.*", it.retryAfterSeconds) }
            DataverseEmulator.start(EmulatorOptions(dopHint = 52, faultSeed = 7, faults = faults)).use { emulator ->
                client(emulator).use { client ->
                    withContext(Dispatchers.Default) {
                        val permits = Semaphore(32)
                        coroutineScope {
                            (0 until 10_000).map { n ->
                                async { permits.withPermit { client.records.create("account", mapOf("name" to "single $n", "numberofemployees" to n)) } }
                            }.awaitAll()
                        }
                    }
                    val bulk = client.records.createMany(
                        "account", (10_000 until 20_000).map { mapOf("name" to "bulk $it", "numberofemployees" to it) },
                        BulkOptions(chunkSize = 250, maxParallelism = 4),
                    )
                    bulk.isSuccess shouldBe true
                    emulator.recordCount("account") shouldBe 20_000
                    val numbers = client.records.list("account", ListOptions(select = listOf("numberofemployees"), pageSize = 5000))
                        .map { it.getInt("numberofemployees")!! }.toList()
                    numbers.sorted() shouldBe (0 until 20_000).toList()
                    emulator.stats.faultsInjected(FaultKind.THROTTLE_REQUESTS) shouldBeGreaterThan 500
                    emulator.stats.faultsInjected(FaultKind.SERVICE_UNAVAILABLE) shouldBeGreaterThan 200
                    emulator.stats.faultsInjected(FaultKind.RESET_AFTER_APPLY) shouldBeGreaterThan 30
                    emulator.stats.faultsInjected(FaultKind.RESET_BEFORE_APPLY) shouldBeGreaterThan 30
                }
            }
        }

        test("once adapted to the service's concurrency limit, the client stays under it") {
            DataverseEmulator.start(EmulatorOptions(dopHint = 52, concurrencyLimit = 12, concurrencyRetryAfterSeconds = 0)).use { emulator ->
                emulator.faults().add(FaultRule(FaultKind.LATENCY, latencyMillis = 5))
                client(emulator).use { client ->
                    suspend fun burst(count: Int) = withContext(Dispatchers.Default) {
                        coroutineScope { (0 until count).map { async { client.whoAmI() } }.awaitAll() }
                    }
                    burst(400) // learns the limit: the service answers 0x80072326 above 12 in flight
                    emulator.stats.throttled shouldBeGreaterThan 0
                    val throttledWhileLearning = emulator.stats.throttled
                    burst(400)
                    emulator.stats.throttled shouldBe throttledWhileLearning
                    emulator.stats.maxInFlight shouldBeLessThanOrEqual 12
                }
            }
        }

        test("cancelling 100 slow requests in flight frees their connections at once, and the service sees the disconnects") {
            DataverseEmulator.start(EmulatorOptions(dopHint = 200, concurrencyLimit = 0)).use { emulator ->
                val slow = FaultRule(FaultKind.LATENCY, pathPattern = "WhoAmI", latencyMillis = 60_000)
                client(emulator) { maxConnections(100); maxConcurrentRequests(100) }.use { client ->
                    emulator.faults().add(slow)
                    val calls = launch(Dispatchers.Default) { repeat(100) { launch { client.whoAmI() } } }
                    withTimeout(30.seconds) { while (emulator.stats.inFlight < 100) delay(10) }
                    calls.cancelAndJoin()
                    withTimeout(30.seconds) { while (emulator.stats.disconnects < 100) delay(10) }
                    emulator.stats.disconnects shouldBeGreaterThanOrEqual 100
                    emulator.faults().remove(slow)
                    // Every pooled connection was in a cancelled exchange: 100 new calls can only complete if all were freed.
                    val answers = withTimeout(30.seconds) {
                        withContext(Dispatchers.Default) { coroutineScope { (0 until 100).map { async { client.whoAmI() } }.awaitAll() } }
                    }
                    answers.size shouldBe 100
                }
            }
        }
    }
})
