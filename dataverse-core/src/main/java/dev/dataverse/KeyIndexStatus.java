package dev.dataverse;

/** The state of an alternate key's index, which the service builds in the background ({@code EntityKeyIndexStatus}). */
public enum KeyIndexStatus {
    /** Waiting to be built. */
    PENDING,

    /** Being built. */
    IN_PROGRESS,

    /** Built: the key can be used. */
    ACTIVE,

    /** Building failed, e.g. because existing records have duplicate values. */
    FAILED;
}
