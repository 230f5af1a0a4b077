package dev.dataverse

import java.util.UUID

/** What happened to each operation of a [BatchRequest], in the order the operations were added. */
public class BatchResult public constructor(
    /** One result per operation, indexed like [BatchReference.index]. */
    public val operations: List<BatchOperationResult>,
) {
    /** Whether every operation succeeded. */
    public val isSuccess: Boolean get() = operations.all { it.outcome == BatchOutcome.SUCCEEDED }

    /** The operations that failed (not those rolled back or not executed because of them). */
    public val failures: List<BatchOperationResult> get() = operations.filter { it.outcome == BatchOutcome.FAILED }

    /** The result of the operation [reference] designates. */
    public operator fun get(reference: BatchReference): BatchOperationResult = operations[reference.index]

    /**
     * Throws [BatchFailedException] carrying this result when any operation did not succeed; returns this result otherwise.
     */
    public fun throwIfFailed(): BatchResult {
        if (!isSuccess) throw BatchFailedException(this)
        return this
    }

    override fun toString(): String =
        "BatchResult(" + BatchOutcome.entries.joinToString { outcome -> "${outcome.name.lowercase()}=${operations.count { it.outcome == outcome }}" } + ")"
}

/** The result of one operation of a batch. */
public class BatchOperationResult public constructor(
    /** Position of the operation in the batch. */
    public val index: Int,
    /** How the operation ended. */
    public val outcome: BatchOutcome,
    /**
     * The HTTP status the service answered for this operation, or `null` when it sent none: rolled back or not executed,
     * or an earlier success of a batch that stopped at a failure (the service then returns only the failing answer).
     */
    public val status: Int?,
    /**
     * The id of the record a create, update or upsert wrote: the id the client gave a create, the key's own id, or the id
     * the answer's `OData-EntityId` names. `null` for a write by alternate key, which the service names by that key and
     * not by id (Learn: "Use Upsert to Create or Update a record"): get the record by the same key when its id is needed.
     */
    public val entityId: UUID?,
    /** The record a `get` returned. */
    public val record: DataverseRecord?,
    /**
     * Why the operation failed (the typed exception the same request would have raised alone). For a [BatchOutcome.SUCCEEDED]
     * operation it is `null`, unless the service's answer could not be read (then the operation was applied, but its
     * [entityId] or [record] is unknown).
     */
    public val error: DataverseException?,
    /** What a message operation ([BatchRequest.Builder.execute]) returned; `null` for record operations and failures. */
    public val messageResult: MessageResult? = null,
) {
    /** Whether the service applied the operation. */
    public val isSuccess: Boolean get() = outcome == BatchOutcome.SUCCEEDED

    override fun toString(): String =
        "BatchOperationResult(#$index $outcome" + (status?.let { ", status=$it" } ?: "") + (entityId?.let { ", id=$it" } ?: "") +
            (error?.let { ", error=${it.message}" } ?: "") + ")"
}

/** A batch did not fully succeed; [result] says what happened to each operation. */
public class BatchFailedException public constructor(
    /** The outcome of every operation. */
    public val result: BatchResult,
) : DataverseException(
    "The batch did not fully succeed: " + result.failures.joinToString(limit = 3) { "#${it.index}: ${it.error?.message}" } +
        " ($result)",
    result.failures.firstOrNull()?.error,
    statusCode = result.failures.firstOrNull()?.status ?: 0,
    errorCode = result.failures.firstOrNull()?.error?.errorCode,
)
