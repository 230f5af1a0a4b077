package dev.dataverse.internal.transport

import dev.dataverse.internal.RequestIds
import dev.dataverse.RequestTimeoutException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withContext
import java.util.UUID
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * The correlation id of one public call, carried in the coroutine context so that every HTTP request the call makes
 * (metadata lookups, pages) sends the same `x-ms-correlation-id`.
 */
internal class Operation(val correlationId: String) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<Operation>
}

/**
 * Runs [block] as one public call: inside an enclosing call it joins it, else it starts a new correlation id, and bounds
 * it by the client's operation timeout when one is set.
 */
internal suspend inline fun <T> operation(transport: HttpTransport, crossinline block: suspend () -> T): T {
    if (currentCoroutineContext()[Operation] != null) return block()
    return operation(transport, Operation(UUID.randomUUID().toString())) { block() }
}

/** Runs [block] as part of the public call [operation], within the client's operation timeout when one is set. */
internal suspend inline fun <T> operation(transport: HttpTransport, operation: Operation, crossinline block: suspend () -> T): T {
    val timeout = transport.operationTimeout ?: return withContext(operation) { block() }
    return try {
        withTimeout(timeout) { withContext(operation) { block() } }
    } catch (e: TimeoutCancellationException) {
        throw RequestTimeoutException(
            "The operation did not complete within the operation timeout of $timeout.", e,
            RequestIds("-", operation.correlationId),
        )
    }
}
