package dev.dataverse;

/** How one input of a bulk operation ended. */
public enum BulkOutcome {
    /** The service applied it. */
    SUCCEEDED,

    /** The service refused it; see {@link BulkResult#failures}. */
    FAILED,

    /** It was not sent, because a fail-fast operation stopped after an earlier failure. */
    NOT_ATTEMPTED;
}
