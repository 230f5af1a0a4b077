package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.work.RequestDeadline
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException

/**
 * The threads that handle requests, off the server's event loops: the loops only read requests and write answers, so a
 * request that takes long never holds up the others on its loop (WhoAmI stays answered), nor the server's stop.
 *
 * At most [MAX_THREADS] requests are handled at once (more than the service's default concurrency limit of 52, so the
 * admitted requests of a default emulator never wait); others wait their turn. Each request has [timeoutMillis] from
 * the moment it is handed over, waiting included: its work checks its [RequestDeadline] as it goes and ends with the
 * service's timeout error past it, and the request is answered with that error at the deadline (plus [GRACE_MILLIS])
 * even when its work does not check, such as a custom API's handler that never returns. Threads are daemons, started as
 * needed (only when none is idle) and ended after [IDLE_SECONDS] idle.
 */
internal class RequestWorkers(private val timeoutMillis: Long) {
    /** The deadlines of the requests handed over and not finished, waiting or running. */
    private val pending: MutableSet<RequestDeadline> = ConcurrentHashMap.newKeySet()

    /** Requests handed to the pool and not finished: more than its threads means none is idle. */
    private val submitted = AtomicInteger()
    private val queue = WorkQueue()

    /**
     * Starts a thread only when none is idle (a plain pool with 64 core threads would start one for each of its first 64
     * requests, even one after the other), up to [MAX_THREADS]; past that, requests wait in [queue].
     */
    private val pool = ThreadPoolExecutor(0, MAX_THREADS, IDLE_SECONDS, TimeUnit.SECONDS, queue, Daemons()) { task, executor ->
        // The pool reached its maximum between the queue's check and the thread's start: the request waits its turn.
        if (executor.isShutdown) throw RejectedExecutionException("The emulator is stopping")
        queue.enqueue(task)
    }

    /** Queues a request only when a thread is idle or the pool is full, so that the pool starts a thread otherwise. */
    private inner class WorkQueue : LinkedBlockingQueue<Runnable>() {
        override fun offer(task: Runnable): Boolean {
            val threads = pool.poolSize
            return if (threads >= MAX_THREADS || submitted.get() <= threads) super.offer(task) else false
        }

        fun enqueue(task: Runnable) {
            super.offer(task)
        }
    }

    /**
     * Runs [work] on a worker thread within a new deadline and returns its result, or [timedOut]'s once the deadline
     * passed without one. Cancelling the caller (its client went away) abandons the work at its next check.
     */
    suspend fun <T> run(timedOut: (RequestDeadline) -> T, work: () -> T): T {
        val deadline = RequestDeadline(timeoutMillis)
        val result = CompletableDeferred<T>()
        pending += deadline
        submitted.incrementAndGet()
        try {
            pool.execute {
                try {
                    result.complete(if (deadline.isOver) timedOut(deadline) else RequestDeadline.within(deadline, work))
                } catch (failure: Throwable) {
                    result.completeExceptionally(failure)
                } finally {
                    pending -= deadline
                    submitted.decrementAndGet()
                }
            }
        } catch (e: RejectedExecutionException) {
            pending -= deadline
            submitted.decrementAndGet()
            throw CancellationException("The emulator is stopping").apply { initCause(e) }
        }
        try {
            return withTimeoutOrNull(timeoutMillis + GRACE_MILLIS) { result.await() } ?: run {
                deadline.abandon()
                timedOut(deadline)
            }
        } catch (e: CancellationException) {
            deadline.abandon()
            throw e
        }
    }

    /**
     * Abandons the requests waiting and in progress (their work ends at its next check) and stops the threads,
     * interrupting those that wait (a handler blocked on a lock or a latch); waits for none of them.
     */
    fun stop() {
        pending.forEach(RequestDeadline::abandon)
        pool.shutdownNow()
    }

    private class Daemons : ThreadFactory {
        private val ids = AtomicInteger()

        override fun newThread(runnable: Runnable): Thread =
            Thread(runnable, "dataverse-emulator-worker-${ids.incrementAndGet()}").apply { isDaemon = true }
    }

    companion object {
        /** The most requests handled at once. */
        const val MAX_THREADS: Int = 64

        /** How long past its deadline a request's work may take to notice it before the request is answered anyway. */
        const val GRACE_MILLIS: Long = 1_000
        private const val IDLE_SECONDS = 30L
    }
}
