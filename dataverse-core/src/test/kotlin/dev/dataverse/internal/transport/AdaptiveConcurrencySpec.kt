package dev.dataverse.internal.transport

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class AdaptiveConcurrencySpec : FunSpec({
    test("starts at the ceiling, then at the service's first hint, never above the ceiling") {
        val concurrency = AdaptiveConcurrency(ceiling = 52)
        concurrency.current() shouldBe 52
        concurrency.onHint(8)
        concurrency.current() shouldBe 8
        concurrency.onHint(2) // later hints do not override what the feedback loop learned
        concurrency.current() shouldBe 8
        AdaptiveConcurrency(ceiling = 4).apply { onHint(30) }.current() shouldBe 4
    }

    test("grows by about one per `limit` successes, up to the ceiling") {
        val concurrency = AdaptiveConcurrency(ceiling = 10).apply { onHint(4) }
        repeat(5) { concurrency.onSuccess() } // +1/limit each: 4 → 4.25 → … → 5.1
        concurrency.current() shouldBe 5
        repeat(1000) { concurrency.onSuccess() }
        concurrency.current() shouldBe 10
    }

    test("a concurrency throttle halves the limit and holds it for the quiet period") {
        var now = 0L
        val concurrency = AdaptiveConcurrency(ceiling = 52, holdMillis = 60_000) { now }
        concurrency.onConcurrencyThrottled()
        // Nothing was in flight from this client's point of view: the limit falls to the floor of 1.
        concurrency.current() shouldBe 1
        val busy = AdaptiveConcurrency(ceiling = 52, holdMillis = 60_000) { now }
        kotlinx.coroutines.runBlocking {
            busy.withPermit { busy.withPermit { busy.withPermit { busy.withPermit { busy.onConcurrencyThrottled() } } } }
        }
        busy.current() shouldBe 2
        repeat(100) { busy.onSuccess() }
        busy.current() shouldBe 2
        now = 60_001
        repeat(100) { busy.onSuccess() }
        (busy.current() > 2) shouldBe true
    }
})
