package dev.dataverse;

/** How one operation of a batch ended. */
public enum BatchOutcome {
    /** The service applied the operation. */
    SUCCEEDED,

    /** The service refused the operation: see {@link BatchOperationResult#error}. */
    FAILED,

    /** The operation succeeded on its own, but another operation of its change set failed, so none was applied. */
    ROLLED_BACK,

    /** The service never ran the operation, because the batch stopped at an earlier failure. */
    NOT_EXECUTED;
}
