package dev.dataverse.internal.transport

import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import dev.dataverse.RequestTimeoutException
import dev.dataverse.internal.RequestIdGenerator
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withContext
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * One public call, carried in the coroutine context so that every HTTP request the call makes (metadata lookups, pages)
 * sends the same `x-ms-correlation-id` and reports to the same telemetry observer.
 */
internal class Operation(
    override val correlationId: String,
    override val name: String,
    private val rawTable: String? = null,
) : AbstractCoroutineContextElement(Key), OperationInfo {
    /**
     * Only a name that can be a table's (the call validates it later): telemetry never carries arbitrary input. Computed
     * when read, so that a client without instrumentation pays nothing for it.
     */
    override val table: String? get() = rawTable?.takeIf { TABLE_NAME.matches(it) }?.lowercase()

    /** The instrumentation's observer of this call; null when the client has no instrumentation (nothing is reported). */
    var observer: OperationObserver? = null
        private set

    /** Reports the start of this call when [transport] is instrumented; see [Instrumented.operationStarted]. */
    fun start(transport: HttpTransport): Operation = apply { observer = transport.instrumented?.operationStarted(this) }

    private val ended = java.util.concurrent.atomic.AtomicBoolean()

    /**
     * The `x-ms-client-request-id` of the latest attempt this call started (of any of its requests, when they run in
     * parallel), so that a call cut off by its timeout names the exchange it was waiting for; `null` before the first.
     */
    @Volatile
    var latestClientRequestId: String? = null

    /** Whether the client's operation timeout bounds this call (its timer needs the caller's thread free to fire). */
    var timeBounded: Boolean = false

    /**
     * Reports the end of this call, [error] null on success; only the first report counts (a listing may end twice, and
     * on two threads: its consumer's, and the cleaner's of an abandoned listing).
     */
    fun end(error: Throwable?) {
        val current = observer ?: return
        if (!ended.compareAndSet(false, true)) return
        Instrumented.guarded { current.ended(error) }
    }

    override fun toString(): String = "Operation($name, $correlationId)"

    companion object Key : CoroutineContext.Key<Operation> {
        private val TABLE_NAME = Regex("[A-Za-z][A-Za-z0-9_]{0,127}")
    }
}

/**
 * Runs [block] as the public call [name] (on [table], when it addresses one): inside an enclosing call it joins it, else
 * it starts a new correlation id, reports to the client's instrumentation, and is bounded by the client's operation
 * timeout when one is set.
 */
internal suspend inline fun <T> operation(
    transport: HttpTransport,
    name: String,
    table: String? = null,
    crossinline block: suspend () -> T,
): T {
    if (currentCoroutineContext()[Operation] != null) return block()
    val operation = Operation(RequestIdGenerator.next(), name, table).start(transport)
    return observed(operation) { operation(transport, operation) { block() } }
}

/**
 * A cold flow that is one public call from the start of its collection to its end: [block] gets the call's [Operation]
 * and runs each of its requests through `operation(transport, operation) { ... }`.
 */
internal inline fun <T> operationFlow(
    transport: HttpTransport,
    name: String,
    table: String? = null,
    crossinline block: suspend FlowCollector<T>.(Operation) -> Unit,
): Flow<T> = flow {
    val operation = Operation(RequestIdGenerator.next(), name, table).start(transport)
    observed(operation) { block(operation) }
}

/** Runs [block] and reports its end to [operation]'s observer, if any. */
internal suspend inline fun <T> observed(operation: Operation, block: () -> T): T {
    if (operation.observer == null) return block()
    val result = try {
        block()
    } catch (e: Throwable) {
        operation.end(e)
        throw e
    }
    operation.end(null)
    return result
}

/** Runs [block] as part of the public call [operation], within the client's operation timeout when one is set. */
internal suspend inline fun <T> operation(transport: HttpTransport, operation: Operation, crossinline block: suspend () -> T): T {
    val timeout = transport.operationTimeout ?: return withContext(operation) { block() }
    operation.timeBounded = true
    return try {
        withTimeout(timeout) { withContext(operation) { block() } }
    } catch (e: TimeoutCancellationException) {
        throw RequestTimeoutException(
            "The operation did not complete within the operation timeout of $timeout.", e,
            operation.latestClientRequestId, operation.correlationId,
        )
    }
}
