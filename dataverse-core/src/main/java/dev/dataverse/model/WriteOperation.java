package dev.dataverse.model;

/** The write a model prepares values for: columns are valid for create, for update, or both. */
public enum WriteOperation {
    /** A new record: columns valid for create, and the primary id when set. */
    CREATE,

    /** An existing record (update, or the update half of an upsert): columns valid for update. */
    UPDATE;
}
