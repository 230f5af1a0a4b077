package dev.dataverse.schema

import dev.dataverse.internal.schema.toJson
import dev.dataverse.internal.schema.SchemaChecks
import java.math.BigDecimal

/**
 * One column of a [TableSchema], as a schema snapshot records it.
 *
 * [attributeType] is Learn's `AttributeTypeCode` name (`String`, `Memo`, `Integer`, `BigInt`, `Decimal`, `Double`,
 * `Money`, `Boolean`, `DateTime`, `Uniqueidentifier`, `Lookup`, `Customer`, `Owner`, `Picklist`, `State`, `Status`,
 * `EntityName`, ...), except for the three kinds the service reports as `Virtual` and tells apart by
 * `AttributeTypeName`: those are written `MultiSelectPicklist`, `File` and `Image`. The set is open: a newer
 * environment may report a type this library does not know, and it is kept as it came.
 *
 * Kotlin: `ColumnSchema("name", "Name", "String", maxLength = 160)`.
 * Java: `ColumnSchema.builder("name", "Name", "String").maxLength(160).build()`.
 */
public class ColumnSchema(
    /** The logical name, e.g. `name`. */
    public val logicalName: String,
    /** The schema name, e.g. `Name`. */
    public val schemaName: String,
    /** The kind of column; see the class description. */
    public val attributeType: String,
    /** The display name in the language the snapshot was exported in; `null` when it has none. */
    public val displayName: String? = null,
    /** `None`, `SystemRequired`, `ApplicationRequired` or `Recommended` (`RequiredLevel`); `null` when not known. */
    public val requiredLevel: String? = null,
    /** Whether this is the table's primary id column. */
    public val isPrimaryId: Boolean = false,
    /** Whether this is the table's primary name column. */
    public val isPrimaryName: Boolean = false,
    /** Whether a customizer created the column. */
    public val isCustom: Boolean = false,
    /** Whether a value can be given when a record is created (`IsValidForCreate`). */
    public val validForCreate: Boolean = true,
    /** Whether the value can be changed by an update (`IsValidForUpdate`). */
    public val validForUpdate: Boolean = true,
    /** Whether the value can be read (`IsValidForRead`). */
    public val validForRead: Boolean = true,
    /** Maximum length in characters (`String`, `Memo`). */
    public val maxLength: Int? = null,
    /** Smallest value of a numeric column, exact. */
    public val minValue: BigDecimal? = null,
    /** Largest value of a numeric column, exact. */
    public val maxValue: BigDecimal? = null,
    /** Digits after the decimal point (`Decimal`, `Double`, `Money`). */
    public val precision: Int? = null,
    /** Largest content in KB (`File`, `Image`). */
    public val maxSizeInKB: Int? = null,
    /** The string format (`FormatName`: `Email`, `Url`, `Phone`, ...) or the date format (`DateOnly`, `DateAndTime`). */
    public val format: String? = null,
    /** `UserLocal`, `DateOnly` or `TimeZoneIndependent` (`DateTimeBehavior`), for `DateTime` columns. */
    public val dateTimeBehavior: String? = null,
    /** The options of a choice or yes/no column; `null` for other columns. */
    public val choice: ChoiceSchema? = null,
    targets: List<LookupTargetSchema> = emptyList(),
) {
    /** The tables a `Lookup`, `Customer` or `Owner` column can point to, ordered by table; empty for other columns. */
    public val targets: List<LookupTargetSchema> = SchemaChecks.sortedUnique(targets, "lookup targets of '$logicalName'") { it.table }

    init {
        SchemaChecks.name(logicalName, "logicalName")
        SchemaChecks.name(schemaName, "schemaName")
        SchemaChecks.name(attributeType, "attributeType")
        SchemaChecks.optional(requiredLevel, "requiredLevel")
        SchemaChecks.optional(format, "format")
        SchemaChecks.optional(dateTimeBehavior, "dateTimeBehavior")
    }

    /** Whether the column points to records of other tables: `Lookup`, `Customer` or `Owner` with at least one target. */
    public val isLookup: Boolean get() = targets.isNotEmpty()

    /** A builder holding this column's values, to derive a changed copy. */
    public fun toBuilder(): Builder = Builder(logicalName, schemaName, attributeType).displayName(displayName)
        .requiredLevel(requiredLevel).primaryId(isPrimaryId).primaryName(isPrimaryName).custom(isCustom)
        .validForCreate(validForCreate).validForUpdate(validForUpdate).validForRead(validForRead).maxLength(maxLength)
        .minValue(minValue).maxValue(maxValue).precision(precision).maxSizeInKB(maxSizeInKB).format(format)
        .dateTimeBehavior(dateTimeBehavior).choice(choice).targets(targets)

    override fun equals(other: Any?): Boolean = other is ColumnSchema && other.toJson() == toJson()

    override fun hashCode(): Int = logicalName.hashCode() * 31 + attributeType.hashCode()

    override fun toString(): String = "ColumnSchema($logicalName, $attributeType)"

    /** Fluent builder for Java callers; the three names are required, everything else starts at the constructor's default. */
    public class Builder public constructor(
        private val logicalName: String,
        private val schemaName: String,
        private val attributeType: String,
    ) {
        private var displayName: String? = null
        private var requiredLevel: String? = null
        private var isPrimaryId = false
        private var isPrimaryName = false
        private var isCustom = false
        private var validForCreate = true
        private var validForUpdate = true
        private var validForRead = true
        private var maxLength: Int? = null
        private var minValue: BigDecimal? = null
        private var maxValue: BigDecimal? = null
        private var precision: Int? = null
        private var maxSizeInKB: Int? = null
        private var format: String? = null
        private var dateTimeBehavior: String? = null
        private var choice: ChoiceSchema? = null
        private var targets: List<LookupTargetSchema> = emptyList()

        /** @see ColumnSchema.displayName */
        public fun displayName(value: String?): Builder = apply { displayName = value }
        /** @see ColumnSchema.requiredLevel */
        public fun requiredLevel(value: String?): Builder = apply { requiredLevel = value }
        /** @see ColumnSchema.isPrimaryId */
        public fun primaryId(value: Boolean): Builder = apply { isPrimaryId = value }
        /** @see ColumnSchema.isPrimaryName */
        public fun primaryName(value: Boolean): Builder = apply { isPrimaryName = value }
        /** @see ColumnSchema.isCustom */
        public fun custom(value: Boolean): Builder = apply { isCustom = value }
        /** @see ColumnSchema.validForCreate */
        public fun validForCreate(value: Boolean): Builder = apply { validForCreate = value }
        /** @see ColumnSchema.validForUpdate */
        public fun validForUpdate(value: Boolean): Builder = apply { validForUpdate = value }
        /** @see ColumnSchema.validForRead */
        public fun validForRead(value: Boolean): Builder = apply { validForRead = value }
        /** @see ColumnSchema.maxLength */
        public fun maxLength(value: Int?): Builder = apply { maxLength = value }
        /** @see ColumnSchema.minValue */
        public fun minValue(value: BigDecimal?): Builder = apply { minValue = value }
        /** @see ColumnSchema.maxValue */
        public fun maxValue(value: BigDecimal?): Builder = apply { maxValue = value }
        /** @see ColumnSchema.precision */
        public fun precision(value: Int?): Builder = apply { precision = value }
        /** @see ColumnSchema.maxSizeInKB */
        public fun maxSizeInKB(value: Int?): Builder = apply { maxSizeInKB = value }
        /** @see ColumnSchema.format */
        public fun format(value: String?): Builder = apply { format = value }
        /** @see ColumnSchema.dateTimeBehavior */
        public fun dateTimeBehavior(value: String?): Builder = apply { dateTimeBehavior = value }
        /** @see ColumnSchema.choice */
        public fun choice(value: ChoiceSchema?): Builder = apply { choice = value }
        /** @see ColumnSchema.targets */
        public fun targets(value: List<LookupTargetSchema>): Builder = apply { targets = ArrayList(value) }

        /** Validates and builds the column. */
        public fun build(): ColumnSchema = ColumnSchema(
            logicalName, schemaName, attributeType, displayName, requiredLevel, isPrimaryId, isPrimaryName, isCustom,
            validForCreate, validForUpdate, validForRead, maxLength, minValue, maxValue, precision, maxSizeInKB, format,
            dateTimeBehavior, choice, targets,
        )
    }

    public companion object {
        /** A builder for Java callers. */
        @JvmStatic
        public fun builder(logicalName: String, schemaName: String, attributeType: String): Builder = Builder(logicalName, schemaName, attributeType)

    }
}
