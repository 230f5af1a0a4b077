package dev.dataverse.internal

import dev.dataverse.BulkCancelledException
import dev.dataverse.BulkResult
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.withContext
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.cancellation.CancellationException

/**
 * Where a cancelled bulk operation leaves what it wrote. An exception cannot carry it up: every coroutine scope between
 * the runner and the caller ends a cancelled job with the original cancellation, dropping the one the body threw.
 */
internal class PartialBulkResult : AbstractCoroutineContextElement(Key) {
    @Volatile
    var result: BulkResult? = null

    companion object Key : CoroutineContext.Key<PartialBulkResult>
}

/** Runs a bulk operation whose cancellation throws [BulkCancelledException] with what it wrote before. */
internal suspend fun bulkOperation(block: suspend CoroutineScope.() -> BulkResult): BulkResult {
    val sink = PartialBulkResult()
    try {
        return withContext(sink, block)
    } catch (e: CancellationException) {
        throw sink.result?.let { BulkCancelledException(it, e) } ?: e
    }
}
