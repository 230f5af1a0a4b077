package dev.dataverse.java.internal

import dev.dataverse.BulkCancelledException
import dev.dataverse.ClientClosedException
import dev.dataverse.DataverseClient
import dev.dataverse.OperationInterruptedException
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import dev.dataverse.internal.runBlockingCall
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.future.future
import kotlinx.coroutines.isActive
import java.util.concurrent.CompletableFuture
import kotlin.coroutines.cancellation.CancellationException

/**
 * One core client and the scope the async facade runs its coroutines in. The blocking and the async view of a client
 * share one instance, so closing either closes both.
 */
internal class SharedClient(val core: DataverseClient) {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineName("dataverse-java"))

    val blocking: DataverseBlockingClient by lazy { DataverseBlockingClient(this) }
    val async: DataverseAsyncClient by lazy { DataverseAsyncClient(this) }

    val isClosed: Boolean get() = core.isClosed || !scope.isActive

    /**
     * Starts [block] as a coroutine whose result completes the returned future; cancelling the future cancels it.
     *
     * It starts undispatched, so the core's input validation runs on the caller's thread and a future for invalid input
     * is already failed when returned; the coroutine leaves the caller's thread at its first suspension.
     */
    fun <T> future(block: suspend CoroutineScope.() -> T): CompletableFuture<T> {
        // A coroutine started in the cancelled scope would end as a bare cancellation: callers are owed the real reason.
        if (!scope.isActive) return CompletableFuture.failedFuture(ClientClosedException())
        return scope.future(start = CoroutineStart.UNDISPATCHED, block = block)
    }

    /**
     * [future] for a [block] that owns [resource]: it is closed when [block] ends, however it ends, or at once when the
     * client is closed and [block] does not run. Closing runs after [block] has stopped using the resource, even when the
     * returned future was cancelled earlier.
     */
    fun <T> future(resource: AutoCloseable, block: suspend CoroutineScope.() -> T): CompletableFuture<T> {
        if (!scope.isActive) {
            val closed = ClientClosedException()
            runCatching { resource.close() }.exceptionOrNull()?.let(closed::addSuppressed)
            return CompletableFuture.failedFuture(closed)
        }
        // An undispatched coroutine runs its body even when the scope was cancelled meanwhile, so `use` always closes.
        return scope.future(start = CoroutineStart.UNDISPATCHED) { resource.use { block() } }
    }

    fun close() {
        core.close() // fails the exchanges in flight with ClientClosedException
        scope.cancel(CancellationException("The Dataverse client was closed.")) // and stops whatever waits elsewhere, e.g. for a token
    }

    override fun toString(): String = core.toString()
}

/**
 * Runs [block] on the calling thread, blocking it until done. A request that is the call's only one at the time waits for
 * its response on this thread too (see [runBlockingCall]): a blocked thread is the cheapest one to wait on.
 *
 * [runBlockingCall], like `runBlocking`, reacts to an interrupt of the waiting thread by cancelling [block] (and so the HTTP exchange), waiting for
 * it to finish, and throwing [InterruptedException] with the interrupt status cleared. Java callers cannot catch that
 * checked exception from a method that does not declare it, and every failure of the library is a DataverseException,
 * so it becomes an [OperationInterruptedException] and the interrupt status is restored for the code that owns the thread.
 *
 * An exception raised inside the client carries the frames of the coroutine that failed, not those of the code that
 * called: like Reactor's `block()`, the caller's frames are added as a suppressed [BlockingCallSite], so that a log shows
 * both where the call failed and where it was made. It is captured only on failure: a call that succeeds costs nothing.
 *
 * An interrupted bulk operation says what it wrote before: its [BulkCancelledException]'s result becomes the
 * [OperationInterruptedException.partialResult].
 */
internal fun <T> blocking(block: suspend CoroutineScope.() -> T): T {
    // runBlockingCall answers an interrupt with InterruptedException alone: what a cancelled bulk operation wrote travels here.
    var cancelledBulk: BulkCancelledException? = null
    return try {
        runBlockingCall {
            try {
                block()
            } catch (e: BulkCancelledException) {
                cancelledBulk = e
                throw e
            }
        }
    } catch (e: InterruptedException) {
        Thread.currentThread().interrupt()
        val partial = cancelledBulk?.result
        throw OperationInterruptedException(
            "Interrupted while waiting for Dataverse; the request was cancelled." + (partial?.let { " Written before: $it." } ?: ""),
            e,
            partial,
        )
    } catch (e: RuntimeException) {
        if (e.suppressed.none { it is BlockingCallSite }) e.addSuppressed(BlockingCallSite())
        throw e
    }
}

/** The stack of the thread that made a blocking call, attached to the exception the call threw; see [blocking]. */
internal class BlockingCallSite : RuntimeException("The blocking call was made here") {
    // The frames of blocking() itself tell nothing: the trace starts at the facade method the caller called.
    init {
        stackTrace = stackTrace.dropWhile { it.className.startsWith("dev.dataverse.java.internal.") }.toTypedArray()
    }
}
