package dev.dataverse.internal.transport

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

class ConcurrencyLimiterSpec : FunSpec({
    test("callers past the limit wait, and each release admits one of them") {
        runBlocking {
            val limiter = ConcurrencyLimiter { 2 }
            limiter.acquire()
            limiter.acquire()
            val third = async { limiter.acquire() }
            val fourth = async { limiter.acquire() }
            repeat(3) { yield() }
            third.isCompleted shouldBe false
            fourth.isCompleted shouldBe false

            limiter.release()
            repeat(3) { yield() }
            listOf(third, fourth).count { it.isCompleted } shouldBe 1

            limiter.release()
            repeat(3) { yield() }
            third.isCompleted shouldBe true
            fourth.isCompleted shouldBe true
        }
    }

    test("permits taken and returned without contention leave the full limit free") {
        runBlocking {
            val limiter = ConcurrencyLimiter { 1 }
            repeat(1_000) {
                limiter.acquire()
                limiter.release()
            }
            limiter.acquire()
            val waiting = async { limiter.acquire() }
            repeat(3) { yield() }
            waiting.isCompleted shouldBe false
            limiter.release()
            waiting.await()
        }
    }
})
