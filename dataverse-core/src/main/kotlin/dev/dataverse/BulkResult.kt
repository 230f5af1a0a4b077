package dev.dataverse

import java.util.UUID
import java.util.concurrent.CancellationException

/**
 * The outcome of every input of a bulk operation, by input position (from 0).
 *
 * Nothing is silently dropped: each input read is either [BulkOutcome.SUCCEEDED], [BulkOutcome.FAILED] (with its error in
 * [failures]), [BulkOutcome.NOT_ATTEMPTED] (a fail-fast operation stopped before its chunk was sent) or, for a
 * `createMany` with [BulkOptions.skipExisting], [BulkOutcome.ALREADY_EXISTS] (a record with its primary id existed).
 */
public class BulkResult private constructor(
    private val outcomes: ByteArray,
    private val idList: Array<UUID?>,
    /** The inputs that failed, in input order, each with its error. */
    public val failures: List<BulkFailure>,
) {
    /** Number of inputs: all of a `List`; those read from a `Flow` (a fail-fast stop reads no further). */
    public val size: Int get() = outcomes.size

    /** Inputs the service applied: for `createMany`, the records created (never those that [alreadyExisting] counts). */
    public val succeeded: Int get() = outcomes.count { it == BulkOutcome.SUCCEEDED.ordinal.toByte() }

    /**
     * Inputs of a `createMany` with [BulkOptions.skipExisting] whose primary id already existed
     * ([BulkOutcome.ALREADY_EXISTS]): not created, not failed. Always 0 without that option.
     */
    public val alreadyExisting: Int get() = outcomes.count { it == BulkOutcome.ALREADY_EXISTS.ordinal.toByte() }

    /** The primary ids of the inputs [alreadyExisting] counts, in input order. */
    public val alreadyExistingIds: List<UUID>
        get() = idList.indices.filter { outcomes[it] == BulkOutcome.ALREADY_EXISTS.ordinal.toByte() }.mapNotNull { idList[it] }

    /** Inputs a fail-fast operation did not send. */
    public val notAttempted: Int get() = outcomes.count { it == BulkOutcome.NOT_ATTEMPTED.ordinal.toByte() }

    /** Whether every input succeeded. */
    public val isSuccess: Boolean get() = failures.isEmpty() && notAttempted == 0

    /**
     * The id of each input's record, in input order: created ids for `createMany`, the key's id for `updateMany`,
     * `upsertMany` and `deleteMany` by primary id. `null` for inputs that did not succeed (an input that already existed
     * included: see [alreadyExistingIds]), and for upserts by alternate key (`UpsertMultiple` does not return ids).
     */
    public val ids: List<UUID?> get() = idList.indices.map { if (outcomes[it] == BulkOutcome.SUCCEEDED.ordinal.toByte()) idList[it] else null }

    /**
     * The ids of the inputs that succeeded and have one, in input order, without `null`s: what a Java caller usually
     * wants to keep. Use [ids] to match ids to input positions.
     */
    public val succeededIds: List<UUID> get() = ids.filterNotNull()

    /** How input [index] ended. */
    public fun outcome(index: Int): BulkOutcome = BulkOutcome.entries[outcomes[index].toInt()]

    override fun toString(): String =
        "BulkResult(size=$size, succeeded=$succeeded, failed=${failures.size}, notAttempted=$notAttempted" +
            (if (alreadyExisting > 0) ", alreadyExisting=$alreadyExisting)" else ")")

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(outcomes: ByteArray, ids: Array<UUID?>, failures: List<BulkFailure>): BulkResult =
            BulkResult(outcomes, ids, failures)
    }
}

/**
 * One input that failed: where it was, what it was, and why.
 *
 * ## The input, typed
 * One [BulkResult] type serves the four bulk operations, whose inputs differ: a values map for `createMany`, a
 * [RecordChange] for `updateMany` and `upsertMany`, a [RecordKey] for `deleteMany`. Rather than a type parameter
 * (`BulkResult<Map<String, Object>>` in every Java signature, and a breaking change for code that stores results),
 * the failure offers one typed accessor per kind of input, in the style of the Azure SDK's result types: [values],
 * [change] and [key], each `null` when the failure is of another operation, so Java code reads
 * `failure.getValues().get("name")` without a cast, and [input] keeps the input as given.
 *
 * ```java
 * for (BulkFailure failure : result.getFailures()) {
 *     Map<String, Object> values = failure.getValues();      // createMany: the values given, as given
 *     log.warn("#{} {} failed: {}", failure.getIndex(), values.get("name"), failure.getError().getMessage());
 * }
 * ```
 */
public class BulkFailure public constructor(
    /** Position of the input, from 0. */
    public val index: Int,
    /** The input as given: a values `Map` (createMany), a [RecordChange] (updateMany, upsertMany) or a [RecordKey] (deleteMany). */
    public val input: Any,
    /** Why it failed. */
    public val error: DataverseException,
) {
    /** The column values of a failed `createMany` input, as given; `null` for the inputs of other operations. */
    public val values: Map<String, Any?>?
        @Suppress("UNCHECKED_CAST") // createMany's inputs are Map<String, Any?>; keys are strings by its signature.
        get() = input as? Map<String, Any?>

    /** The change of a failed `updateMany` or `upsertMany` input; `null` for the inputs of other operations. */
    public val change: RecordChange? get() = input as? RecordChange

    /**
     * Which record a failed input addresses: the key of a `deleteMany` input, or of an `updateMany`/`upsertMany`
     * change; `null` for a `createMany` input (its record did not exist: its id, if any, is among [values]).
     */
    public val key: RecordKey? get() = input as? RecordKey ?: change?.key

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
