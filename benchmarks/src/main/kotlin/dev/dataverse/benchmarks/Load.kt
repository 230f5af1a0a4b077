package dev.dataverse.benchmarks

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference

/**
 * A workload: runs `operations` operations (numbered 0 until `operations`) and returns how many it verified (e.g. the
 * record returned has the id asked for). An exception fails the round, and with it the scenario.
 */
fun interface Load {
    fun run(operations: Int): Long
}

/** How a workload's operations are issued at a given concurrency. */
object Loads {
    /** [concurrency] coroutines on [Dispatchers.Default], each taking the next operation number until all are taken. */
    fun suspending(concurrency: Int, operation: suspend (Int) -> Boolean): Load = Load { operations ->
        val next = AtomicInteger()
        val verified = AtomicInteger()
        runBlocking(Dispatchers.Default) {
            repeat(concurrency) {
                launch {
                    while (true) {
                        val i = next.getAndIncrement()
                        if (i >= operations) break
                        if (operation(i)) verified.incrementAndGet()
                    }
                }
            }
        }
        verified.get().toLong()
    }

    /** [concurrency] platform threads, each calling the blocking [operation] in a loop: how Java code uses a blocking client. */
    fun blocking(concurrency: Int, pool: ThreadPool, operation: (Int) -> Boolean): Load = Load { operations ->
        val next = AtomicInteger()
        val verified = AtomicInteger()
        pool.runOnEach(concurrency) {
            while (true) {
                val i = next.getAndIncrement()
                if (i >= operations) break
                if (operation(i)) verified.incrementAndGet()
            }
        }
        verified.get().toLong()
    }

    /**
     * [concurrency] chains of futures: each operation's completion starts the next one, no thread waits in between —
     * how Java code uses a `CompletableFuture` client. Only the caller's thread blocks, once, for the whole round.
     */
    fun futures(concurrency: Int, operation: (Int) -> CompletableFuture<Boolean>): Load = Load { operations ->
        val next = AtomicInteger()
        val verified = AtomicInteger()
        val failure = AtomicReference<Throwable?>()
        val chains = CountDownLatch(concurrency)
        fun step() {
            val i = next.getAndIncrement()
            if (i >= operations || failure.get() != null) {
                chains.countDown()
                return
            }
            operation(i).whenComplete { ok, error ->
                if (error != null) {
                    failure.compareAndSet(null, error)
                    chains.countDown()
                } else {
                    if (ok) verified.incrementAndGet()
                    step()
                }
            }
        }
        repeat(concurrency) { step() }
        chains.await()
        failure.get()?.let { throw IllegalStateException("an operation failed: $it", it) }
        verified.get().toLong()
    }
}

/** Platform threads kept across rounds, so that rounds do not measure thread creation. */
class ThreadPool(size: Int, name: String) : AutoCloseable {
    private val counter = AtomicInteger()
    private val executor: ExecutorService = Executors.newFixedThreadPool(size) { task ->
        Thread(task, "$name-${counter.incrementAndGet()}").apply { isDaemon = true }
    }

    /** Runs [task] on [count] threads at once and waits for all; rethrows the first failure. */
    fun runOnEach(count: Int, task: () -> Unit) {
        val futures = (1..count).map { executor.submit(task) }
        var failure: Throwable? = null
        for (future in futures) {
            try {
                future.get()
            } catch (e: java.util.concurrent.ExecutionException) {
                if (failure == null) failure = e.cause ?: e
            }
        }
        failure?.let { throw IllegalStateException("an operation failed: $it", it) }
    }

    override fun close() {
        executor.shutdownNow()
    }
}
