package dev.dataverse.internal.transport

import dev.dataverse.BadRequestException
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.NotFoundException
import dev.dataverse.RetryOptions
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.ErrorResponses
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeTypeOf
import kotlin.random.Random
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class RetryPolicySpec : FunSpec({
    fun error(status: Int, body: String = "", retryAfter: String? = null): DataverseException =
        ErrorResponses.toException(status, { if (it.equals("Retry-After", true)) retryAfter else null }, Body.of(body), null)

    val policy = RetryPolicy(RetryOptions(maxAttempts = 5, baseDelay = 1.seconds, maxDelay = 8.seconds, maxElapsed = 1.minutes), Random(42))

    test("throttling waits exactly the Retry-After the service sent") {
        policy.decide(error(429, retryAfter = "7"), attempt = 1, elapsed = 0.seconds, idempotent = false) shouldBe
            RetryDirective.RetryAfter(7.seconds, "throttled (HTTP 429)")
        val concurrency = error(503, """{"error":{"code":"0x80072326","message":"Number of concurrent requests exceeded the limit of 52."}}""", "1")
        (policy.decide(concurrency, 1, 0.seconds, false) as RetryDirective.RetryAfter).delay shouldBe 1.seconds
    }

    test("transient failures back off exponentially with full jitter, capped at maxDelay") {
        for (attempt in 1..4) {
            repeat(200) {
                val directive = policy.decide(error(503), attempt, 0.seconds, idempotent = true).shouldBeTypeOf<RetryDirective.RetryAfter>()
                directive.delay.inWholeMilliseconds shouldBeInRange 0L..minOf(8_000L, 1_000L shl (attempt - 1))
            }
        }
        // The jitter really spreads: 200 draws for attempt 3 are not all the same.
        (1..200).map { policy.backoff(3) }.toSet().size shouldBeGreaterThan 50
    }

    test("a seeded policy gives reproducible delays") {
        val a = RetryPolicy(RetryOptions(baseDelay = 100.milliseconds), Random(7))
        val b = RetryPolicy(RetryOptions(baseDelay = 100.milliseconds), Random(7))
        (1..5).map { a.backoff(it) } shouldBe (1..5).map { b.backoff(it) }
    }

    test("answers about the request itself are never retried") {
        for (status in listOf(400, 401, 403, 404, 405, 412, 500)) {
            policy.decide(error(status, """{"error":{"code":"0x1","message":"m"}}"""), 1, 0.seconds, true) shouldBe RetryDirective.Stop
        }
        error(400).shouldBeTypeOf<BadRequestException>()
        policy.decide(error(404).also { it.shouldBeTypeOf<NotFoundException>() }, 1, 0.seconds, true) shouldBe RetryDirective.Stop
    }

    test("attempts and the time budget bound the retries") {
        policy.decide(error(503), attempt = 5, elapsed = 0.seconds, idempotent = true) shouldBe RetryDirective.Stop
        policy.decide(error(429, retryAfter = "30"), attempt = 1, elapsed = 45.seconds, idempotent = true) shouldBe RetryDirective.Stop
        RetryPolicy(RetryOptions.NONE).decide(error(503), 1, 0.seconds, true) shouldBe RetryDirective.Stop
    }

    test("a request that may have been applied is retried only when replaying it is safe") {
        val dropped = ConnectionFailedException("reset", java.io.IOException("reset"), null)
        policy.decide(dropped, 1, 0.seconds, idempotent = false) shouldBe RetryDirective.Stop
        policy.decide(dropped, 1, 0.seconds, idempotent = true).shouldBeTypeOf<RetryDirective.RetryAfter>()
        val refused = ConnectionFailedException("refused", java.net.ConnectException(), null, sent = false)
        policy.decide(refused, 1, 0.seconds, idempotent = false).shouldBeTypeOf<RetryDirective.RetryAfter>()
        policy.decide(error(504), 1, 0.seconds, idempotent = false) shouldBe RetryDirective.Stop
        policy.decide(error(503), 1, 0.seconds, idempotent = false).shouldBeTypeOf<RetryDirective.RetryAfter>()
    }
})
