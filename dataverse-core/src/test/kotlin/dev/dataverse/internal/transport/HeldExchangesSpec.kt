package dev.dataverse.internal.transport

import dev.dataverse.internal.BlockingCall
import dev.dataverse.internal.runBlockingCall
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.coroutines.cancellation.CancellationException
import kotlin.concurrent.thread

class HeldExchangesSpec : FunSpec({
    /** Runs [block] on a new thread and returns what it returned. */
    fun <T> onThread(block: () -> T): T {
        val result = CompletableFuture<T>()
        thread { runCatching(block).fold(result::complete, result::completeExceptionally) }
        return result.get(30, TimeUnit.SECONDS)
    }

    /** Holds an exchange of [owner] due in [millis] and sleeps until something interrupts the thread. */
    fun holdUntilInterrupted(owner: Any, millis: Long, onHeld: (HeldExchange) -> Unit = {}): Pair<HeldExchange.Reason?, Boolean> {
        val held = HeldExchange(owner, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis))
        HeldExchanges.add(held)
        onHeld(held)
        try {
            Thread.sleep(60_000)
        } catch (e: InterruptedException) {
            // what a held `send` sees
        }
        HeldExchanges.remove(held)
        return held.finish() to Thread.currentThread().isInterrupted
    }

    test("a held exchange is interrupted at its deadline, and the interrupt is cleared when the wait ends") {
        val (reason, interruptedAfter) = onThread { holdUntilInterrupted(Any(), 50) }
        reason shouldBe HeldExchange.Reason.DEADLINE
        interruptedAfter shouldBe false
    }

    test("a later deadline does not delay an earlier one, and the earlier does not end the later") {
        val owner = Any()
        val late = HeldExchange(owner, System.nanoTime() + TimeUnit.MINUTES.toNanos(10))
        HeldExchanges.add(late)
        try {
            onThread { holdUntilInterrupted(owner, 50) }.first shouldBe HeldExchange.Reason.DEADLINE
            late.finish() shouldBe null // not aborted: it was never interrupted
        } finally {
            HeldExchanges.remove(late)
        }
    }

    test("closing interrupts only the closing client's held exchanges") {
        val closing = Any()
        val other = Any()
        val otherHeld = HeldExchange(other, System.nanoTime() + TimeUnit.MINUTES.toNanos(10))
        HeldExchanges.add(otherHeld)
        try {
            val (reason, interruptedAfter) = onThread {
                holdUntilInterrupted(closing, 600_000) { thread { HeldExchanges.abortAll(closing) } }
            }
            reason shouldBe HeldExchange.Reason.CLOSED
            interruptedAfter shouldBe false
            otherHeld.finish() shouldBe null
        } finally {
            HeldExchanges.remove(otherHeld)
        }
    }

    test("an abort after the wait ended does nothing, and the caller's own interrupt is left alone") {
        val (reason, interruptedAfter) = onThread {
            val held = HeldExchange(Any(), System.nanoTime() + TimeUnit.MINUTES.toNanos(10))
            HeldExchanges.add(held)
            Thread.currentThread().interrupt() // the caller's own
            HeldExchanges.remove(held)
            val reason = held.finish()
            held.abort(HeldExchange.Reason.CLOSED)
            reason to Thread.interrupted()
        }
        reason shouldBe null
        interruptedAfter shouldBe true
    }

    test("only the only coroutine of a blocked call, on its thread, may wait there") {
        runBlockingCall {
            val call = currentCoroutineContext()[BlockingCall]!!
            call.mayWaitHere(currentCoroutineContext().job) shouldBe true
            withContext(dev.dataverse.internal.transport.BulkChunk(1)) { call.mayWaitHere(currentCoroutineContext().job) } shouldBe true
            coroutineScope {
                val sibling = CompletableDeferred<Unit>()
                launch { sibling.await() }
                call.mayWaitHere(currentCoroutineContext().job) shouldBe false
                sibling.complete(Unit)
            }
            onThread { call.mayWaitHere(null) } shouldBe false
        }
    }

    test("an interrupt that reached a held exchange ends the call in InterruptedException, cleared like runBlocking's") {
        val (error, interruptedAfter) = onThread {
            val error = runCatching {
                runBlockingCall {
                    currentCoroutineContext()[BlockingCall]!!.interrupt()
                    throw CancellationException("what the held exchange throws")
                }
            }.exceptionOrNull()
            error to Thread.currentThread().isInterrupted
        }
        (error is InterruptedException) shouldBe true
        interruptedAfter shouldBe false
        shouldThrow<IllegalStateException> { runBlockingCall { error("not an interrupt") } }
    }
})
