package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain

class EmulatorOptionsSpec : FunSpec({
    test("defaults") {
        val options = EmulatorOptions()
        options.port shouldBe 0
        options.requiredToken shouldBe null
        options.dopHint shouldBe 4
        options.maxPageSize shouldBe 5000
        options.concurrencyLimit shouldBe 52
        options.concurrencyRetryAfterSeconds shouldBe 1
        options.faultSeed shouldBe null
        options.faults shouldBe emptyList()
        options.bulkUnsupportedTables shouldBe emptySet()
        options.syntheticRows shouldBe 0
    }

    test("the builder sets the service-protection, fault and table options, and toBuilder keeps them") {
        val rule = FaultRule.builder(FaultKind.THROTTLE_REQUESTS).probability(0.25).methods("post").pathPattern("accounts").retryAfterSeconds(5).build()
        val built = EmulatorOptions.builder().concurrencyLimit(0).concurrencyRetryAfterSeconds(3).faultSeed(9).addFault(rule)
            .bulkUnsupportedTables(setOf("Contact")).syntheticRows(100).build()
        built shouldBe EmulatorOptions(
            concurrencyLimit = 0, concurrencyRetryAfterSeconds = 3, faultSeed = 9, faults = listOf(rule),
            bulkUnsupportedTables = setOf("contact"), syntheticRows = 100,
        )
        built.toBuilder().build() shouldBe built
        rule.methods shouldBe setOf("POST")
        rule shouldBe FaultRule(FaultKind.THROTTLE_REQUESTS, 0.25, setOf("POST"), "accounts", 5, 0)
    }

    test("fault rules check their values") {
        shouldThrow<IllegalArgumentException> { FaultRule(FaultKind.SERVICE_UNAVAILABLE, probability = 1.5) }
        shouldThrow<IllegalArgumentException> { FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "[") }
        shouldThrow<IllegalArgumentException> { FaultRule(FaultKind.SERVICE_UNAVAILABLE, retryAfterSeconds = -1) }
        shouldThrow<IllegalArgumentException> { FaultRule(FaultKind.LATENCY) }
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "accounts.*").matches("GET", "accounts(1)/name") shouldBe true
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "accounts").matches("GET", "accounts(1)") shouldBe false
    }

    test("the builder gives the same options as named arguments, and toBuilder round-trips") {
        val built = EmulatorOptions.builder().port(9000).requiredToken("t").dopHint(8).maxPageSize(100).build()
        built shouldBe EmulatorOptions(port = 9000, requiredToken = "t", dopHint = 8, maxPageSize = 100)
        built.toBuilder().build() shouldBe built
        built.hashCode() shouldBe EmulatorOptions(9000, "t", 8, 100).hashCode()
    }

    test("out-of-range values are rejected") {
        shouldThrow<IllegalArgumentException> { EmulatorOptions(port = -1) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(dopHint = 0) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(maxPageSize = 5001) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions.builder().requiredToken(" ").build() }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(concurrencyLimit = -1) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(syntheticRows = -1) }
        shouldThrow<IllegalArgumentException> { EmulatorOptions(bulkUnsupportedTables = setOf(" ")) }
        DataverseEmulator.start().use { emulator -> shouldThrow<IllegalArgumentException> { emulator.concurrencyLimit = -1 } }
    }

    test("toString does not reveal the token") {
        EmulatorOptions(requiredToken = "super-secret").toString() shouldNotContain "super-secret"
    }

    test("recordCount rejects unknown tables") {
        DataverseEmulator.start().use { emulator ->
            emulator.recordCount("contact") shouldBe 0
            shouldThrow<IllegalArgumentException> { emulator.recordCount("widget") }
        }
    }
})
