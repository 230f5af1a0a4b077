package dev.dataverse

import java.math.BigDecimal
import java.util.UUID

/** A column's definition, as read from the service's `Attributes` metadata. */
public class ColumnInfo public constructor(
    /** The logical name, e.g. `name`. */
    public val logicalName: String,
    /** The schema name, e.g. `Name`. */
    public val schemaName: String,
    /** The kind of column. */
    public val type: ColumnType,
    /** The service's own name for the kind (`AttributeType`), e.g. `String`, `Picklist`, `Virtual`. */
    public val attributeType: String,
    /** The display name in the user's language; `null` when the column has none. */
    public val displayName: String?,
    /** Whether the column was created by a customizer. */
    public val isCustom: Boolean,
    /** Whether this is the table's primary id column. */
    public val isPrimaryId: Boolean,
    /** Whether this is the table's primary name column. */
    public val isPrimaryName: Boolean,
    /** Whether a value is required; `null` when the service did not say. */
    public val requiredLevel: RequiredLevel?,
    /** Maximum length in characters, for text columns. */
    public val maxLength: Int?,
    /** Smallest value, for numeric columns. */
    public val minValue: BigDecimal?,
    /** Largest value, for numeric columns. */
    public val maxValue: BigDecimal?,
    /** Digits after the decimal point, for decimal, double and money columns. */
    public val precision: Int?,
    /** Maximum content size in KB, for file and image columns. */
    public val maxSizeInKB: Int?,
    /** The tables a lookup column can point to; empty for other columns. */
    public val targets: List<String>,
    /** Whether the column can be set when a record is created. */
    public val isValidForCreate: Boolean,
    /** Whether the column can be changed when a record is updated. */
    public val isValidForUpdate: Boolean,
    /** The id of the column's metadata. */
    public val metadataId: UUID,
) {
    override fun equals(other: Any?): Boolean = other is ColumnInfo && other.metadataId == metadataId && other.logicalName == logicalName

    override fun hashCode(): Int = metadataId.hashCode()

    override fun toString(): String = "ColumnInfo($logicalName, $type)"
}
