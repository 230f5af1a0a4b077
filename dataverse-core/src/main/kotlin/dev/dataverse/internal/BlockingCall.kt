package dev.dataverse.internal

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.job
import kotlinx.coroutines.runBlocking
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.cancellation.CancellationException

/**
 * Not API: the blocking facades' `runBlocking`, which lets the default transport wait for a response on the blocked
 * thread itself.
 *
 * A thread blocked in `runBlocking` has nothing else to do while its call waits for the network. Waiting on a pooled
 * thread instead costs two thread hand-offs per request (to the pooled thread and back) on top of the JDK client's own
 * one (selector to waiting thread), which is what made a blocking call cost more CPU than the JDK client's own blocking
 * `send`. With [runBlockingCall], an exchange whose coroutine is the only one of the call (see [BlockingCall.mayWaitHere])
 * runs `send` on the calling thread; one that runs beside others (bulk operations fan out) is dispatched as before, so
 * nothing is serialised.
 *
 * Same contract as `runBlocking`: an interrupt of the waiting thread cancels [block] and ends in [InterruptedException]
 * with the interrupt status cleared, also when the interrupt reached the thread while it waited inside the HTTP client.
 */
public fun <T> runBlockingCall(block: suspend CoroutineScope.() -> T): T {
    val call = BlockingCall(Thread.currentThread())
    val result = try {
        runBlocking(call) {
            call.root = coroutineContext.job
            block()
        }
    } catch (e: Throwable) {
        // However the cancelled block ended (a bulk operation ends in its own exception, carrying what it wrote).
        if (call.interrupted) throw InterruptedException("Interrupted while waiting for Dataverse.").apply { initCause(e) }
        throw e
    }
    // The block chose to finish despite the cancellation (its result is real): the interrupt stays for the thread's owner.
    if (call.interrupted) Thread.currentThread().interrupt()
    return result
}

/**
 * Not API: the mark [runBlockingCall] puts in its coroutine's context. See [runBlockingCall].
 */
public class BlockingCall internal constructor(
    /** The thread blocked on this call. */
    internal val thread: Thread,
) : AbstractCoroutineContextElement(Key) {
    /** The call's outermost coroutine; set as soon as it starts. */
    @Volatile
    internal var root: Job? = null

    /** Whether an interrupt of [thread] reached an exchange waiting on it (and so cancelled the call). */
    @Volatile
    internal var interrupted: Boolean = false
        private set

    /**
     * Whether an exchange started by the coroutine of [job], on the current thread, may wait on this thread: it is the
     * blocked thread, and [job] is the only coroutine of the call — each job from the root down to it has exactly one
     * child, and it has none. A coroutine with a sibling (a bulk operation's chunks, a prefetching producer) must not
     * hold the thread they need, so it is dispatched as before; so is every exchange started elsewhere.
     */
    internal fun mayWaitHere(job: Job?): Boolean {
        if (Thread.currentThread() !== thread || job == null) return false
        var current = root ?: return false
        while (current !== job) {
            val children = current.children.iterator()
            if (!children.hasNext()) return false
            current = children.next()
            if (children.hasNext()) return false
        }
        return !job.children.iterator().hasNext()
    }

    /** Whether the current thread is the blocked one. */
    internal val isCurrentThread: Boolean get() = Thread.currentThread() === thread

    /**
     * Records that [thread] was interrupted while an exchange waited on it and cancels the call, as `runBlocking` does
     * when its own wait is interrupted; [runBlockingCall] then ends in [InterruptedException].
     */
    internal fun interrupt() {
        interrupted = true
        root?.cancel(CancellationException("The thread waiting for Dataverse was interrupted."))
    }

    /** The key of [BlockingCall] in a coroutine context. */
    public companion object Key : CoroutineContext.Key<BlockingCall>
}
