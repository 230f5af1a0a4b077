package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.math.BigInteger
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneId
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.util.UUID

class ODataLiteralsSpec : FunSpec({
    test("strings are single-quoted with embedded quotes doubled and every other character kept") {
        ODataLiterals.format("O'Neil") shouldBe "'O''Neil'"
        ODataLiterals.format("''") shouldBe "''''''"
        ODataLiterals.format("a&b#c?d%e+f/g") shouldBe "'a&b#c?d%e+f/g'"
        ODataLiterals.format("Zoë 🚀") shouldBe "'Zoë 🚀'"
        ODataLiterals.format("") shouldBe "''"
    }

    test("numbers are written in plain notation") {
        ODataLiterals.format(42) shouldBe "42"
        ODataLiterals.format(-9_000_000_000L) shouldBe "-9000000000"
        ODataLiterals.format(BigDecimal("1E+3")) shouldBe "1000"
        ODataLiterals.format(BigInteger("123456789012345678901234567890")) shouldBe "123456789012345678901234567890"
        ODataLiterals.format(1.5) shouldBe "1.5"
        ODataLiterals.format(1e-7) shouldBe "0.0000001"
        ODataLiterals.format(2.5f) shouldBe "2.5"
    }

    test("non-finite numbers are rejected") {
        shouldThrow<InvalidInputException> { ODataLiterals.format(Double.NaN) }
        shouldThrow<InvalidInputException> { ODataLiterals.format(Double.POSITIVE_INFINITY) }
        shouldThrow<InvalidInputException> { ODataLiterals.format(Float.NEGATIVE_INFINITY) }
    }

    test("booleans, GUIDs, dates and date-times") {
        ODataLiterals.format(true) shouldBe "true"
        ODataLiterals.format(UUID.fromString("7B1C0000-0000-0000-0000-000000000001")) shouldBe "7b1c0000-0000-0000-0000-000000000001"
        ODataLiterals.format(LocalDate.of(2024, 2, 29)) shouldBe "2024-02-29"
        ODataLiterals.format(Instant.parse("2024-05-31T08:00:00Z")) shouldBe "2024-05-31T08:00:00Z"
        ODataLiterals.format(OffsetDateTime.of(2024, 5, 31, 10, 0, 0, 0, ZoneOffset.ofHours(2))) shouldBe "2024-05-31T08:00:00Z"
        ODataLiterals.format(ZonedDateTime.of(2024, 1, 1, 1, 0, 0, 500_000_000, ZoneId.of("Europe/Paris"))) shouldBe "2024-01-01T00:00:00.500Z"
        ODataLiterals.format(null) shouldBe "null"
    }

    test("unsupported types fail with the type named") {
        val error = shouldThrow<InvalidInputException> { ODataLiterals.format(Any()) }
        error.message shouldContain "java.lang.Object"
        shouldThrow<InvalidInputException> { ODataLiterals.requireSupported(listOf(1), "alternate key column 'x'") }
            .message shouldContain "alternate key column 'x'"
    }

    test("unpaired surrogates are rejected instead of being silently replaced") {
        shouldThrow<InvalidInputException> { ODataLiterals.format("a\uD800b") }.message shouldContain "surrogate"
        shouldThrow<InvalidInputException> { ODataLiterals.format("\uDC00") }
        ODataLiterals.format("\uD83D\uDE80") shouldBe "'\uD83D\uDE80'"
    }
})
