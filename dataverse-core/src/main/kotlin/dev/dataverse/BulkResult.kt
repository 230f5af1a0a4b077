package dev.dataverse

import java.util.UUID
import java.util.concurrent.CancellationException

/**
 * The outcome of every input of a bulk operation, by input position (from 0).
 *
 * Nothing is silently dropped: each input read is either [BulkOutcome.SUCCEEDED], [BulkOutcome.FAILED] (with its error in
 * [failures]) or [BulkOutcome.NOT_ATTEMPTED] (a fail-fast operation stopped before its chunk was sent).
 */
public class BulkResult private constructor(
    private val outcomes: ByteArray,
    private val idList: Array<UUID?>,
    /** The inputs that failed, in input order, each with its error. */
    public val failures: List<BulkFailure>,
) {
    /** Number of inputs: all of a `List`; those read from a `Flow` (a fail-fast stop reads no further). */
    public val size: Int get() = outcomes.size

    /** Inputs the service applied. */
    public val succeeded: Int get() = outcomes.count { it == BulkOutcome.SUCCEEDED.ordinal.toByte() }

    /** Inputs a fail-fast operation did not send. */
    public val notAttempted: Int get() = outcomes.count { it == BulkOutcome.NOT_ATTEMPTED.ordinal.toByte() }

    /** Whether every input succeeded. */
    public val isSuccess: Boolean get() = failures.isEmpty() && notAttempted == 0

    /**
     * The id of each input's record, in input order: created ids for `createMany`, the key's id for `updateMany`,
     * `upsertMany` and `deleteMany` by primary id. `null` for inputs that did not succeed, and for upserts by alternate
     * key (`UpsertMultiple` does not return ids).
     */
    public val ids: List<UUID?> get() = idList.asList()

    /**
     * The ids of the inputs that succeeded and have one, in input order, without `null`s: what a Java caller usually
     * wants to keep. Use [ids] to match ids to input positions.
     */
    public val succeededIds: List<UUID> get() = idList.filterNotNull()

    /** How input [index] ended. */
    public fun outcome(index: Int): BulkOutcome = BulkOutcome.entries[outcomes[index].toInt()]

    override fun toString(): String = "BulkResult(size=$size, succeeded=$succeeded, failed=${failures.size}, notAttempted=$notAttempted)"

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(outcomes: ByteArray, ids: Array<UUID?>, failures: List<BulkFailure>): BulkResult =
            BulkResult(outcomes, ids, failures)
    }
}

/** One input that failed: where it was, what it was, and why. */
public class BulkFailure public constructor(
    /** Position of the input, from 0. */
    public val index: Int,
    /** The input as given: a values `Map`, a [RecordChange] or a [RecordKey]. */
    public val input: Any,
    /** Why it failed. */
    public val error: DataverseException,
) {
    override fun toString(): String = "BulkFailure(#$index: ${error.message})"
}

/**
 * A bulk operation was cancelled (its coroutine cancelled, or, in Java, the blocked thread interrupted: see
 * `OperationInterruptedException.partialResult`). [result] says what was written before: [BulkOutcome.SUCCEEDED] inputs
 * were applied; inputs whose request was in flight are [BulkOutcome.FAILED] with an error saying the service may or may
 * not have applied them; the rest were [BulkOutcome.NOT_ATTEMPTED]. A `CancellationException`, so that coroutine
 * cancellation works as usual.
 */
public class BulkCancelledException(
    /** The outcome of every input read before the cancellation. */
    public val result: BulkResult,
    cause: Throwable?,
) : CancellationException(
    "Bulk operation cancelled: ${result.succeeded} input(s) applied, ${result.failures.size} failed or in flight, " +
        "${result.notAttempted} not attempted.",
) {
    init {
        initCause(cause)
    }
}

/** A fail-fast bulk operation stopped at a failure; [result] says what happened to every input read. */
public class BulkOperationException public constructor(
    /** The outcome of every input read. */
    public val result: BulkResult,
) : DataverseException(
    "Bulk operation stopped: ${result.failures.size} input(s) failed, ${result.succeeded} succeeded, ${result.notAttempted} not attempted. " +
        "First failure: " + (result.failures.firstOrNull()?.let { "#${it.index}: ${it.error.message}" } ?: "none"),
    result.failures.firstOrNull()?.error,
    statusCode = result.failures.firstOrNull()?.error?.statusCode ?: 0,
    errorCode = result.failures.firstOrNull()?.error?.errorCode,
)
