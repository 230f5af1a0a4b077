package dev.dataverse.emulator

import dev.dataverse.emulator.internal.store.VersionRanges
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe

/** The versions of abandoned states: ranges merge when they overlap or touch, so repeated restores keep the set small. */
class VersionRangesSpec : FunSpec({
    test("overlapping and adjacent ranges merge; disjoint ones stay apart; an empty range adds nothing") {
        val ranges = VersionRanges()
        ranges.add(11, 20)
        ranges.add(11, 25)
        ranges.add(26, 30)
        ranges.add(40, 39)
        ranges.add(50, 60)
        ranges.ranges() shouldContainExactly listOf(11L..30L, 50L..60L)
        ranges.add(5, 55)
        ranges.ranges() shouldContainExactly listOf(5L..60L)
    }

    test("membership is by closed range") {
        val ranges = VersionRanges()
        ranges.add(11, 20)
        (10L in ranges) shouldBe false
        (11L in ranges) shouldBe true
        (20L in ranges) shouldBe true
        (21L in ranges) shouldBe false
    }
})
