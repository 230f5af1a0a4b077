package dev.dataverse.internal

import dev.dataverse.BulkFailure
import dev.dataverse.BulkOperationException
import dev.dataverse.BulkOptions
import dev.dataverse.BulkOutcome
import dev.dataverse.BulkProgress
import dev.dataverse.BulkResult
import dev.dataverse.DataverseException
import dev.dataverse.RequestTooLargeException
import dev.dataverse.internal.transport.BulkChunk
import dev.dataverse.internal.transport.ConcurrencyLimiter
import dev.dataverse.internal.transport.Instrumented
import dev.dataverse.internal.transport.Operation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException

/**
 * What happened to one input of a chunk: success (with the record's id when known), failure, or — for a create that
 * skips existing records — a record with its id that already existed ([existed]).
 */
internal class ItemOutcome(val id: UUID?, val error: DataverseException?, val existed: Boolean = false) {
    companion object {
        fun succeeded(id: UUID?) = ItemOutcome(id, null)
        fun failed(error: DataverseException) = ItemOutcome(null, error)
        fun existed(id: UUID) = ItemOutcome(id, null, existed = true)
    }
}

/**
 * Reads inputs lazily, cuts them into chunks, and runs up to the allowed number of chunks at once, so an unbounded
 * `Flow` streams through with at most `parallelism + 1` chunks in memory. Records each input's outcome by position and
 * reports progress after each chunk. With fail-fast, no chunk starts after one has failed, and no further input is read;
 * inputs not sent — read, or left in a list of known size — are reported as not attempted.
 */
internal class BulkRunner<I : Any>(
    private val options: BulkOptions,
    private val total: Int?,
    /**
     * [BulkOptions.chunkSize] or, for an elastic table, [BulkOptions.elasticChunkSize]. Asked once, when the first input
     * has been read: finding the table's type may take a request, which invalid input must fail before.
     */
    private val chunkSizeOf: suspend () -> Int,
    dopHint: () -> Int?,
    /** What a failure reports of an item ([BulkFailure.input]): the input as the caller gave it. */
    private val inputOf: (I) -> Any = { it },
) {
    private val limiter = ConcurrencyLimiter { minOf(options.maxParallelism, dopHint() ?: options.maxParallelism) }
    private val lock = Any()
    private val outcomes = GrowableBytes()
    private val ids = ArrayList<UUID?>()
    private val failures = ArrayList<BulkFailure>()
    private var processed = 0
    private var succeeded = 0

    @Volatile
    private var stopped = false

    /** The largest number of inputs per request the service has not refused as too large; see [fitting]. */
    private val sizeLimit = AtomicInteger(Int.MAX_VALUE)

    suspend fun run(inputs: Flow<I>, executeChunk: suspend (List<I>) -> List<ItemOutcome>): BulkResult {
        val buffer = ArrayList<I>()
        try {
            dispatchAll(inputs, buffer, executeChunk)
        } catch (e: CancellationException) {
            currentCoroutineContext()[PartialBulkResult]?.result = snapshot()
            throw e
        }
        val result = snapshot()
        if (!options.continueOnError && !result.isSuccess) throw BulkOperationException(result)
        return result
    }

    private suspend fun dispatchAll(inputs: Flow<I>, buffer: ArrayList<I>, executeChunk: suspend (List<I>) -> List<ItemOutcome>) {
        coroutineScope {
            suspend fun dispatch(chunk: List<I>) {
                val start = reserve(chunk.size)
                limiter.acquire()
                if (stopped) return limiter.release() // fail-fast: positions stay NOT_ATTEMPTED
                launch {
                    try {
                        record(start, chunk, attempt(chunk, executeChunk))
                    } catch (e: CancellationException) {
                        // Sent or being sent: whether the service applied it cannot be known, which the result says.
                        val inFlight = DataverseException("The operation was cancelled while this input's request was in flight: the service may or may not have applied it.", e)
                        record(start, chunk, chunk.map { ItemOutcome.failed(inFlight) })
                        throw e
                    } finally {
                        limiter.release()
                    }
                }
            }
            // takeWhile ends the collection without cancelling the chunks in flight, which coroutineScope then awaits.
            var chunkSize = 0
            inputs.takeWhile { !stopped }.collect { item ->
                if (chunkSize == 0) chunkSize = chunkSizeOf().also { sizeLimit.set(it) }
                buffer += item
                if (buffer.size == chunkSize) {
                    dispatch(buffer.toList())
                    buffer.clear()
                }
            }
            if (buffer.isNotEmpty()) {
                dispatch(buffer.toList())
                buffer.clear()
            }
        }
    }

    /** What happened to every input so far. */
    private fun snapshot(): BulkResult {
        // A fail-fast stop or a cancellation leaves the rest of a list unread: it is part of the result too, as not attempted.
        total?.let { size -> reserve((size - ids.size).coerceAtLeast(0)) }
        return synchronized(lock) {
            failures.sortBy { it.index }
            BulkResult(outcomes.toByteArray(), ids.toTypedArray(), failures.toList())
        }
    }

    private suspend fun attempt(chunk: List<I>, executeChunk: suspend (List<I>) -> List<ItemOutcome>): List<ItemOutcome> {
        val observer = currentCoroutineContext()[Operation]?.observer
        val outcomes = try {
            if (observer == null) fitting(chunk, executeChunk) else withContext(BulkChunk(chunk.size)) { fitting(chunk, executeChunk) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: DataverseException) {
            chunk.map { ItemOutcome.failed(e) }
        }
        if (observer != null) {
            val failed = outcomes.count { it.error != null }
            // An input found existing (createMany's skipExisting) was neither written nor refused: in neither count.
            val succeeded = outcomes.count { it.error == null && !it.existed }
            Instrumented.guarded { observer.bulkChunkCompleted(chunk.size, succeeded, failed) }
        }
        return outcomes
    }

    /**
     * Sends [chunk] in parts no larger than the service has accepted so far. A 413 (`0x8004418a`, Learn:
     * reference/web-service-error-codes) means nothing of that request was applied, so its part is halved and sent
     * again, and every later chunk of this operation uses the smaller size; a single input that is still too large
     * fails alone.
     */
    private suspend fun fitting(chunk: List<I>, executeChunk: suspend (List<I>) -> List<ItemOutcome>): List<ItemOutcome> {
        val limit = sizeLimit.get()
        if (chunk.size > limit) return chunk.chunked(limit).flatMap { fitting(it, executeChunk) }
        return try {
            executeChunk(chunk).also { check(it.size == chunk.size) { "chunk outcome count ${it.size} != ${chunk.size}" } }
        } catch (e: RequestTooLargeException) {
            if (chunk.size == 1) return listOf(ItemOutcome.failed(e))
            val half = (chunk.size + 1) / 2
            sizeLimit.accumulateAndGet(half, ::minOf)
            chunk.chunked(half).flatMap { fitting(it, executeChunk) }
        }
    }

    /** Claims positions for a chunk; they read NOT_ATTEMPTED until the chunk completes. */
    private fun reserve(size: Int): Int = synchronized(lock) {
        val start = ids.size
        repeat(size) {
            outcomes.add(BulkOutcome.NOT_ATTEMPTED.ordinal.toByte())
            ids.add(null)
        }
        start
    }

    private fun record(start: Int, chunk: List<I>, results: List<ItemOutcome>) {
        synchronized(lock) {
            results.forEachIndexed { offset, outcome ->
                val index = start + offset
                if (outcome.existed) {
                    outcomes[index] = BulkOutcome.ALREADY_EXISTS.ordinal.toByte()
                    ids[index] = outcome.id
                } else if (outcome.error == null) {
                    outcomes[index] = BulkOutcome.SUCCEEDED.ordinal.toByte()
                    ids[index] = outcome.id
                    succeeded++
                } else {
                    outcomes[index] = BulkOutcome.FAILED.ordinal.toByte()
                    failures += BulkFailure(index, inputOf(chunk[offset]), outcome.error)
                }
            }
            processed += chunk.size
            if (!options.continueOnError && results.any { it.error != null }) stopped = true
            // Reported under the same lock that computed it, so that totals never arrive out of order.
            options.onProgress?.onProgress(BulkProgress(processed, succeeded, failures.size, total))
        }
    }

    /** A byte list without boxing, for the outcome of every input of a large import. */
    private class GrowableBytes {
        private var bytes = ByteArray(64)
        private var size = 0

        fun add(value: Byte) {
            if (size == bytes.size) bytes = bytes.copyOf(size * 2)
            bytes[size++] = value
        }

        operator fun set(index: Int, value: Byte) {
            bytes[index] = value
        }

        fun toByteArray(): ByteArray = bytes.copyOf(size)
    }
}
