package dev.dataverse.telemetry

import dev.dataverse.BulkOptions
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.RetryOptions
import dev.dataverse.TableSpec
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds

/** Micrometer meters of real calls against the emulator, read from a SimpleMeterRegistry. */
class MicrometerSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(faultSeed = 5))
    afterSpec { emulator.close() }
    afterTest { emulator.reset() }

    fun client(registry: SimpleMeterRegistry) = DataverseClient {
        environmentUrl(emulator.baseUrl)
        tokenProvider { dev.dataverse.AccessToken("micrometer-token", java.time.Instant.now().plusSeconds(3600)) }
        retry(RetryOptions(maxAttempts = 12, baseDelay = 1.milliseconds, maxDelay = 5.milliseconds))
        addInstrumentation(DataverseMicrometer.create(registry, listOf(Tag.of("app", "test"))))
    }

    test("operations and requests are timed by operation and status, with the common tags") {
        val registry = SimpleMeterRegistry()
        client(registry).use { client ->
            client.records.create("account", mapOf("name" to "Timed"))
            client.whoAmI()
        }
        registry.get("dataverse.client.operations").tag("dataverse.operation", "records.create").tag("outcome", "success").tag("app", "test")
            .timer().count() shouldBe 1
        registry.get("dataverse.client.requests").tag("dataverse.operation", "records.create").tag("http.request.method", "POST")
            .tag("http.response.status_code", "204").timer().count() shouldBe 1
        registry.get("dataverse.client.requests").tag("dataverse.operation", "whoAmI").tag("http.response.status_code", "200")
            .timer().count() shouldBe 1
        registry.get("dataverse.client.token.acquisitions").tag("outcome", "success").counter().count() shouldBe 1.0
    }

    test("chaos: throttles counted by code and retries by reason, one for each fault the emulator injected") {
        val registry = SimpleMeterRegistry()
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_CONCURRENCY, 0.2, setOf("POST"), "contacts", retryAfterSeconds = 0))
        emulator.faults().add(FaultRule(FaultKind.GATEWAY_TIMEOUT, 0.2, setOf("POST"), "contacts"))
        client(registry).use { client -> repeat(25) { client.records.create("contact", mapOf("lastname" to "Chaos $it")) } }
        val throttled = emulator.stats.faultsInjected(FaultKind.THROTTLE_CONCURRENCY)
        val unavailable = emulator.stats.faultsInjected(FaultKind.GATEWAY_TIMEOUT)
        (throttled + unavailable) shouldBe registry.find("dataverse.client.retries").counters().sumOf { it.count() }.toLong()
        registry.get("dataverse.client.throttles").tag("dataverse.error_code", "0x80072326").counter().count() shouldBe throttled.toDouble()
        registry.get("dataverse.client.retries").tag("dataverse.retry.reason", "throttled").counter().count() shouldBe throttled.toDouble()
        registry.get("dataverse.client.retries").tag("dataverse.retry.reason", "service_unavailable").counter().count() shouldBe unavailable.toDouble()
        registry.get("dataverse.client.requests").tag("http.response.status_code", "504").tag("error.type", "504").timer().count() shouldBe unavailable
    }

    test("bulk records written and failed, by operation") {
        val registry = SimpleMeterRegistry()
        client(registry).use { client ->
            val good = (1..30).map { mapOf<String, Any?>("lastname" to "Bulk $it") }
            val bad = listOf(mapOf<String, Any?>("lastname" to "x".repeat(80))) // longer than the column's 50
            client.records.createMany("contact", good + bad, BulkOptions(chunkSize = 10, continueOnError = true))
        }
        registry.get("dataverse.client.bulk.records").tag("outcome", "written").counter().count() shouldBe 30.0
        registry.get("dataverse.client.bulk.records").tag("outcome", "failed").tag("dataverse.operation", "records.createMany")
            .counter().count() shouldBe 1.0
    }

    test("file bytes up and down, and gauges of the adaptive limit that stop counting a closed client") {
        val registry = SimpleMeterRegistry()
        val source = Files.createTempFile("telemetry", ".bin")
        val target = Files.createTempFile("telemetry", ".copy")
        try {
            Files.write(source, ByteArray(300_000) { it.toByte() })
            client(registry).use { client ->
                client.tables.create(
                    TableSpec("new_Doc", "Document", columns = listOf(ColumnSpec.file("new_Content", "Content", maxSizeInKB = 1024))),
                )
                val id = client.records.create("new_doc", mapOf("new_name" to "doc"))
                client.files.upload("new_doc", id, "new_content", source)
                client.files.download("new_doc", id, "new_content", target)
                registry.get("dataverse.client.concurrency.limit").gauge().value() shouldBeGreaterThan 0.0
            }
            registry.get("dataverse.client.file.bytes").tag("direction", "upload").counter().count() shouldBe 300_000.0
            registry.get("dataverse.client.file.bytes").tag("direction", "download").counter().count() shouldBe 300_000.0
            registry.get("dataverse.client.concurrency.limit").gauge().value() shouldBe 0.0
            registry.get("dataverse.client.requests.in.flight").gauge().value() shouldBe 0.0
        } finally {
            Files.deleteIfExists(source)
            Files.deleteIfExists(target)
        }
    }
})
