package dev.dataverse;

/** What a change to a referenced record does to the records that reference it; see {@link CascadeConfiguration}. */
public enum CascadeType {
    /** Apply the change to the referencing records too. */
    CASCADE,

    /** Leave the referencing records alone. */
    NO_CASCADE,

    /** Clear the referencing records' lookup (delete only). */
    REMOVE_LINK,

    /** Refuse the change while referencing records exist (delete only). */
    RESTRICT;
}
