package dev.dataverse.internal.transport

import kotlinx.coroutines.currentCoroutineContext
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

/** Runs [block] as one operation: inside an enclosing operation it joins it, else it starts a new correlation id. */
internal suspend inline fun <T> operation(crossinline block: suspend () -> T): T =
    if (currentCoroutineContext()[Operation] != null) {
        block()
    } else {
        withContext(Operation(UUID.randomUUID().toString())) { block() }
    }
