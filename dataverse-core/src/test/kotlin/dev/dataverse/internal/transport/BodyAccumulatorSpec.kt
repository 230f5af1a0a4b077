package dev.dataverse.internal.transport

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe

/**
 * What a body of unknown length holds is what it has reserved from the shared budget, whatever sizes its bytes arrive
 * in, and a body that is refused or released holds nothing and has given its reservation back.
 */
class BodyAccumulatorSpec : FunSpec({
    test("tiny reads are held in a few blocks, all of them reserved, and the body reads back whole") {
        val budget = ResponseBudget(10L * 1024 * 1024)
        val body = BodyAccumulator(limit = 1024L * 1024, budget, declaredLength = null)
        val bytes = ByteArray(300_000) { (it % 251).toByte() }
        var at = 0
        while (at < bytes.size) {
            val n = minOf(7, bytes.size - at)
            body.append(bytes, at, n)
            at += n
        }
        // 300,000 bytes in 7-byte reads: the blocks hold them with at most one block (64 KiB) of room to spare.
        body.held shouldBe budget.inUse
        budget.inUse shouldBeGreaterThanOrEqual 300_000L
        budget.inUse shouldBeLessThanOrEqual 300_000L + 64 * 1024
        val all = body.toByteArray()
        all.copyOf(body.length.toInt()) shouldBe bytes
        body.release()
        budget.inUse shouldBe 0L
        body.held shouldBe 0L
    }

    test("a body refused past the budget drops what it holds and returns its reservation at once") {
        val budget = ResponseBudget(200L * 1024)
        val other = BodyAccumulator(limit = 1024L * 1024, budget, declaredLength = null)
        other.append(ByteArray(100 * 1024), 0, 100 * 1024)
        val otherHeld = budget.inUse
        val refused = BodyAccumulator(limit = 1024L * 1024, budget, declaredLength = null)
        val piece = ByteArray(16 * 1024)
        val error = shouldThrow<WireException> { repeat(100) { refused.append(piece, 0, piece.size) } }
        error.failure shouldBe WireFailure.TOO_LARGE
        refused.held shouldBe 0L
        budget.inUse shouldBe otherHeld
        shouldThrow<WireException> { refused.append(piece, 0, 1) }.failure shouldBe WireFailure.BROKEN
        other.release()
        budget.inUse shouldBe 0L
    }

    test("a body refused past its limit holds nothing, never more than the limit on the way") {
        val budget = ResponseBudget(10L * 1024 * 1024)
        val body = BodyAccumulator(limit = 100_000L, budget, declaredLength = null)
        val piece = ByteArray(3000)
        shouldThrow<WireException> {
            repeat(100) {
                body.append(java.nio.ByteBuffer.wrap(piece).asReadOnlyBuffer())
                budget.inUse shouldBeLessThanOrEqual 100_000L
            }
        }.failure shouldBe WireFailure.TOO_LARGE
        body.held shouldBe 0L
        budget.inUse shouldBe 0L
    }
})
