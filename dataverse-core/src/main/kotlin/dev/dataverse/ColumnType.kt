package dev.dataverse

/**
 * The kinds of column. [ColumnSpec] creates the first group; the others are read from existing tables ([ColumnInfo]).
 */
public enum class ColumnType {
    /** Single line of text (`StringAttributeMetadata`). */
    STRING,

    /** Multiple lines of text (`MemoAttributeMetadata`). */
    MEMO,

    /** Whole number, 32 bits (`IntegerAttributeMetadata`). */
    INTEGER,

    /** Decimal number with fixed precision (`DecimalAttributeMetadata`). */
    DECIMAL,

    /** Floating point number (`DoubleAttributeMetadata`). */
    DOUBLE,

    /** Currency amount (`MoneyAttributeMetadata`). */
    MONEY,

    /** Yes/no (`BooleanAttributeMetadata`). */
    BOOLEAN,

    /** Date and time, stored in UTC (`DateTimeAttributeMetadata`, format `DateAndTime`). */
    DATE_TIME,

    /** Date without time (`DateTimeAttributeMetadata`, format `DateOnly`). */
    DATE_ONLY,

    /** Choice, one option (`PicklistAttributeMetadata`). */
    CHOICE,

    /** Choices, several options (`MultiSelectPicklistAttributeMetadata`). */
    MULTI_CHOICE,

    /** Lookup to one table (`LookupAttributeMetadata`), created through a one-to-many relationship. */
    LOOKUP,

    /** File (`FileAttributeMetadata`); content moves through [FileColumns]. */
    FILE,

    /** Image (`ImageAttributeMetadata`); content moves through [FileColumns]. */
    IMAGE,

    /** Lookup to an account or a contact (`Customer`). Read only. */
    CUSTOMER,

    /** Owner lookup to a user or team. Read only. */
    OWNER,

    /** The record's state, e.g. Active/Inactive. Read only. */
    STATE,

    /** The record's status reason, which depends on its state. Read only. */
    STATUS,

    /** Whole number, 64 bits, e.g. `versionnumber`. Read only. */
    BIG_INT,

    /** A GUID, e.g. the primary id column. Read only. */
    UNIQUE_IDENTIFIER,

    /** Any other kind; see [ColumnInfo.attributeType]. */
    OTHER,
}

/** Whether a value is required (`RequiredLevel`). */
public enum class RequiredLevel {
    /** Optional. */
    NONE,

    /** Recommended: apps highlight it, the service does not enforce it. */
    RECOMMENDED,

    /** Required by apps (`ApplicationRequired`). */
    REQUIRED,

    /** Required by the platform (`SystemRequired`). Read only. */
    SYSTEM_REQUIRED,
}
