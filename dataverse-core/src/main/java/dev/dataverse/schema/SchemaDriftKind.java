package dev.dataverse.schema;

/** What kind of difference a {@link SchemaDrift} is, between a schema snapshot and the environment. */
public enum SchemaDriftKind {
    /** The environment has no table of this name. */
    TABLE_MISSING,
    /** The table has no column of this name. */
    COLUMN_MISSING,
    /** The column exists with another {@code attributeType}. */
    COLUMN_TYPE_CHANGED,
    /** The choice column has an option (value) the snapshot does not list. */
    CHOICE_OPTION_ADDED,
    /** The choice column lacks an option (value) the snapshot lists. */
    CHOICE_OPTION_REMOVED,
    /** The lookup column points to another set of tables. */
    LOOKUP_TARGETS_CHANGED,
    /** The table has no alternate key of this name, or the key has other columns. */
    ALTERNATE_KEY_CHANGED,
    /** The environment has no custom API of this unique name. */
    CUSTOM_API_MISSING,
    /** The custom API is bound otherwise, or is a function where the snapshot has an action (or the reverse). */
    CUSTOM_API_CHANGED,
    /** A request parameter or response property was added, removed, or changed its type, optionality or table. */
    CUSTOM_API_PARAMETER_CHANGED
}
