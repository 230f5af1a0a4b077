package dev.dataverse.emulator.internal.model

/**
 * The column types the emulator understands, with the names the service uses for them in metadata
 * (`AttributeType`, the derived `AttributeMetadata` type and `AttributeTypeName`).
 */
internal enum class ColumnType(
    val attributeType: String,
    val metadataType: String,
    val attributeTypeName: String,
) {
    STRING("String", "StringAttributeMetadata", "StringType"),
    MEMO("Memo", "MemoAttributeMetadata", "MemoType"),
    INTEGER("Integer", "IntegerAttributeMetadata", "IntegerType"),
    BIG_INT("BigInt", "BigIntAttributeMetadata", "BigIntType"),
    MONEY("Money", "MoneyAttributeMetadata", "MoneyType"),
    DECIMAL("Decimal", "DecimalAttributeMetadata", "DecimalType"),
    BOOLEAN("Boolean", "BooleanAttributeMetadata", "BooleanType"),
    PICKLIST("Picklist", "PicklistAttributeMetadata", "PicklistType"),
    STATE("State", "StateAttributeMetadata", "StateType"),
    STATUS("Status", "StatusAttributeMetadata", "StatusType"),
    LOOKUP("Lookup", "LookupAttributeMetadata", "LookupType"),
    CUSTOMER("Customer", "LookupAttributeMetadata", "CustomerType"),

    /** The owner of a user-owned record (`ownerid`): a lookup set to the calling user when a record is created. */
    OWNER("Owner", "LookupAttributeMetadata", "OwnerType"),
    DATE_TIME("DateTime", "DateTimeAttributeMetadata", "DateTimeType"),
    DATE_ONLY("DateTime", "DateTimeAttributeMetadata", "DateTimeType"),
    UNIQUE_IDENTIFIER("Uniqueidentifier", "UniqueIdentifierAttributeMetadata", "UniqueidentifierType"),
    DOUBLE("Double", "DoubleAttributeMetadata", "DoubleType"),

    /** Several options at once; values travel as comma-separated option values (`"100000000,100000001"`). */
    MULTI_SELECT_PICKLIST("Virtual", "MultiSelectPicklistAttributeMetadata", "MultiSelectPicklistType"),

    /** A file column: reads give the file id, `<column>_name` the file name; content moves through file requests only. */
    FILE("Virtual", "FileAttributeMetadata", "FileType"),

    /** An image column; stored like [FILE]. */
    IMAGE("Virtual", "ImageAttributeMetadata", "ImageType"),
    ;

    /** Lookups are exposed as `_<name>_value` properties and written through `@odata.bind`. */
    val isLookup: Boolean get() = this == LOOKUP || this == CUSTOMER || this == OWNER

    /** Columns whose values are option values with labels. */
    val isChoice: Boolean get() = this == PICKLIST || this == STATE || this == STATUS

    /** Columns whose value is a whole option set: choices, state, status and multi-select choices. */
    val hasOptions: Boolean get() = isChoice || this == MULTI_SELECT_PICKLIST

    /** File and image columns, whose content is uploaded and downloaded separately from the record. */
    val isFile: Boolean get() = this == FILE || this == IMAGE

    /** Columns that hold text and support the string functions of `$filter`. */
    val isText: Boolean get() = this == STRING || this == MEMO
}
