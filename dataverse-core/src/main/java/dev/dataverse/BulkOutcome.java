package dev.dataverse;

/** How one input of a bulk operation ended. */
public enum BulkOutcome {
    /** The service applied it. */
    SUCCEEDED,

    /** The service refused it; see {@link BulkResult#failures}. */
    FAILED,

    /** It was not sent, because a fail-fast operation stopped after an earlier failure. */
    NOT_ATTEMPTED,

    /**
     * A {@code createMany} with {@link BulkOptions#getSkipExisting()} met a record with this input's primary id: the
     * service refused the create as a duplicate ({@code 0x80040237}) and nothing of this input was written. Counted in
     * {@link BulkResult#getAlreadyExisting()}, never as created; its values were not compared with the existing record's.
     */
    ALREADY_EXISTS;
}
