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
