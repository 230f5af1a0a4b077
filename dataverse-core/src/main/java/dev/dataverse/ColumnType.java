package dev.dataverse;

/**
 * The kinds of column. {@link ColumnSpec} creates the first group; the others are read from existing tables ({@link ColumnInfo}).
 */
public enum ColumnType {
    /** Single line of text ({@code StringAttributeMetadata}). */
    STRING,

    /** Multiple lines of text ({@code MemoAttributeMetadata}). */
    MEMO,

    /** Whole number, 32 bits ({@code IntegerAttributeMetadata}). */
    INTEGER,

    /** Decimal number with fixed precision ({@code DecimalAttributeMetadata}). */
    DECIMAL,

    /** Floating point number ({@code DoubleAttributeMetadata}). */
    DOUBLE,

    /** Currency amount ({@code MoneyAttributeMetadata}). */
    MONEY,

    /** Yes/no ({@code BooleanAttributeMetadata}). */
    BOOLEAN,

    /** Date and time, stored in UTC ({@code DateTimeAttributeMetadata}, format {@code DateAndTime}). */
    DATE_TIME,

    /** Date without time ({@code DateTimeAttributeMetadata}, format {@code DateOnly}). */
    DATE_ONLY,

    /** Choice, one option ({@code PicklistAttributeMetadata}). */
    CHOICE,

    /** Choices, several options ({@code MultiSelectPicklistAttributeMetadata}). */
    MULTI_CHOICE,

    /** Lookup to one table ({@code LookupAttributeMetadata}), created through a one-to-many relationship. */
    LOOKUP,

    /** File ({@code FileAttributeMetadata}); content moves through {@link FileColumns}. */
    FILE,

    /** Image ({@code ImageAttributeMetadata}); content moves through {@link FileColumns}. */
    IMAGE,

    /** Lookup to an account or a contact ({@code Customer}). Read only. */
    CUSTOMER,

    /** Owner lookup to a user or team. Read only. */
    OWNER,

    /** The record's state, e.g. Active/Inactive. Read only. */
    STATE,

    /** The record's status reason, which depends on its state. Read only. */
    STATUS,

    /** Whole number, 64 bits, e.g. {@code versionnumber}. Read only. */
    BIG_INT,

    /** A GUID, e.g. the primary id column. Read only. */
    UNIQUE_IDENTIFIER,

    /** Any other kind; see {@link ColumnInfo#attributeType}. */
    OTHER;
}
