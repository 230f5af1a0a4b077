package dev.dataverse.emulator

import dev.dataverse.emulator.internal.synthetic.IsoInstants
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Instant
import java.time.format.DateTimeFormatter

class IsoInstantsSpec : FunSpec({
    fun fast(epochSecond: Long) = StringBuilder().also { IsoInstants.append(it, epochSecond) }.toString()
    fun reference(epochSecond: Long) = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond))

    test("matches the JDK's ISO instant format on chosen dates: epoch, leap days, century rules, year ends") {
        listOf(
            "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2000-02-29T12:00:00Z", "1900-03-01T00:00:00Z",
            "2100-02-28T08:09:10Z", "1999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-07-20T20:17:40Z",
        ).forEach { text -> fast(Instant.parse(text).epochSecond) shouldBe text }
    }

    test("matches the JDK on a sweep of 100,000 instants over four centuries") {
        val start = Instant.parse("1890-01-01T00:00:00Z").epochSecond
        val step = 126_271L // not a divisor of a day, so every time of day and every date comes up
        for (i in 0 until 100_000L) {
            val second = start + i * step
            fast(second) shouldBe reference(second)
        }
    }
})
