package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.SchemaNames
import java.math.BigDecimal

/**
 * A column to create, with [Tables.addColumn] or as part of a [TableSpec]. Made by the factory functions, one per
 * [ColumnType]: `ColumnSpec.string("new_Code", "Code", maxLength = 20)`, `ColumnSpec.choice("new_Size", "Size",
 * "Small", "Medium", "Large")`, `ColumnSpec.lookup("new_AccountId", "Account", "account")`.
 *
 * Schema names carry the publisher's customization prefix (`new_`) and consist of ASCII letters, digits and
 * underscores; the column's logical name is its schema name in lower case. Factories validate their arguments and raise
 * [InvalidInputException] before anything is sent.
 */
public class ColumnSpec private constructor(
    /** The schema name, e.g. `new_Price`; the logical name is `new_price`. */
    public val schemaName: String,
    /** The display name. */
    public val displayName: String,
    /** The kind of column. */
    public val type: ColumnType,
    /** A description shown to makers; `null` for none. */
    public val description: String? = null,
    /** Whether apps require a value. */
    public val requiredLevel: RequiredLevel = RequiredLevel.NONE,
    /** Maximum length in characters, for [ColumnType.STRING] and [ColumnType.MEMO]. */
    public val maxLength: Int? = null,
    /** Smallest value, for numeric columns. */
    public val minValue: BigDecimal? = null,
    /** Largest value, for numeric columns. */
    public val maxValue: BigDecimal? = null,
    /** Digits after the decimal point, for [ColumnType.DECIMAL], [ColumnType.DOUBLE] and [ColumnType.MONEY]. */
    public val precision: Int? = null,
    /** The options of a choice column, or the true and false labels (values 1 and 0) of a boolean column. */
    public val options: List<ChoiceOption> = emptyList(),
    /** The table a [ColumnType.LOOKUP] points to. */
    public val targetTable: String? = null,
    /** Maximum content size in KB, for [ColumnType.FILE] and [ColumnType.IMAGE]. */
    public val maxSizeInKB: Int? = null,
) {
    /** The logical name the column will have. */
    public val logicalName: String get() = schemaName.lowercase()

    init {
        SchemaNames.requireCustom(schemaName, "column schema name")
        SchemaNames.requireLabel(displayName, "displayName")
        if (type in NOT_CREATABLE) throw InvalidInputException("Columns of type $type cannot be created.")
    }

    /** This column with a [description]. */
    public fun withDescription(description: String?): ColumnSpec = copy(description = description)

    /** This column with a [RequiredLevel]; [RequiredLevel.SYSTEM_REQUIRED] cannot be set. */
    public fun withRequiredLevel(level: RequiredLevel): ColumnSpec {
        if (level == RequiredLevel.SYSTEM_REQUIRED) throw InvalidInputException("SYSTEM_REQUIRED is reserved for platform columns.")
        return copy(requiredLevel = level)
    }

    private fun copy(description: String? = this.description, requiredLevel: RequiredLevel = this.requiredLevel): ColumnSpec =
        ColumnSpec(
            schemaName, displayName, type, description, requiredLevel, maxLength, minValue, maxValue, precision, options,
            targetTable, maxSizeInKB,
        )

    override fun toString(): String = "ColumnSpec($schemaName, $type)"

    public companion object {
        /** Largest [ColumnType.STRING] length. */
        public const val MAX_STRING_LENGTH: Int = 4000

        /** Largest [ColumnType.MEMO] length. */
        public const val MAX_MEMO_LENGTH: Int = 1_048_576

        /** Largest [ColumnType.FILE] size in KB: 10 GB. */
        public const val MAX_FILE_SIZE_KB: Int = 10_485_760

        /** Largest [ColumnType.IMAGE] size in KB: 30 MB. */
        public const val MAX_IMAGE_SIZE_KB: Int = 30_720

        /** The first option value given to labels without explicit values, as the maker portal does for `new_`. */
        public const val FIRST_OPTION_VALUE: Int = 100_000_000

        private val NOT_CREATABLE = setOf(
            ColumnType.CUSTOMER, ColumnType.OWNER, ColumnType.STATE, ColumnType.STATUS, ColumnType.BIG_INT,
            ColumnType.UNIQUE_IDENTIFIER, ColumnType.OTHER,
        )
        private val DECIMAL_LIMIT = BigDecimal("100000000000")
        private val MONEY_LIMIT = BigDecimal("922337203685477")

        /** Single line of text, [maxLength] 1..4000 characters (default 100). */
        @JvmStatic
        @JvmOverloads
        public fun string(schemaName: String, displayName: String, maxLength: Int = 100): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.STRING, maxLength = length(maxLength, MAX_STRING_LENGTH))

        /** Multiple lines of text, [maxLength] 1..1048576 characters (default 2000). */
        @JvmStatic
        @JvmOverloads
        public fun memo(schemaName: String, displayName: String, maxLength: Int = 2000): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.MEMO, maxLength = length(maxLength, MAX_MEMO_LENGTH))

        /** Whole number between [minValue] and [maxValue] (default: the full 32-bit range). */
        @JvmStatic
        @JvmOverloads
        public fun integer(
            schemaName: String,
            displayName: String,
            minValue: Int = Int.MIN_VALUE,
            maxValue: Int = Int.MAX_VALUE,
        ): ColumnSpec = ColumnSpec(
            schemaName, displayName, ColumnType.INTEGER,
            minValue = BigDecimal(minValue), maxValue = BigDecimal(maxValue).also { range(minValue.toBigDecimal(), it) },
        )

        /** Decimal number with [precision] 0..10 digits after the point (default 2), within ±100,000,000,000. */
        @JvmStatic
        @JvmOverloads
        public fun decimal(schemaName: String, displayName: String, precision: Int = 2): ColumnSpec =
            ColumnSpec(
                schemaName, displayName, ColumnType.DECIMAL,
                minValue = DECIMAL_LIMIT.negate(), maxValue = DECIMAL_LIMIT, precision = precision(precision, 10),
            )

        /**
         * Floating point number with [precision] 0..5 digits after the point (default 2), within ±100,000,000,000.
         * Java: `ColumnSpec.floatingPoint(...)` (`double` is a Java keyword; "Floating point number" is the type's name
         * in the maker portal).
         */
        @JvmStatic
        @JvmOverloads
        @JvmName("floatingPoint")
        public fun double(schemaName: String, displayName: String, precision: Int = 2): ColumnSpec =
            ColumnSpec(
                schemaName, displayName, ColumnType.DOUBLE,
                minValue = DECIMAL_LIMIT.negate(), maxValue = DECIMAL_LIMIT, precision = precision(precision, 5),
            )

        /** Currency amount with [precision] 0..4 digits after the point (default 2). */
        @JvmStatic
        @JvmOverloads
        public fun money(schemaName: String, displayName: String, precision: Int = 2): ColumnSpec =
            ColumnSpec(
                schemaName, displayName, ColumnType.MONEY,
                minValue = MONEY_LIMIT.negate(), maxValue = MONEY_LIMIT, precision = precision(precision, 4),
            )

        /**
         * Yes/no, with the labels of `true` (value 1) and `false` (value 0). Java: `ColumnSpec.yesNo(...)` (`boolean` is a
         * Java keyword; "Yes/No" is the type's name in the maker portal).
         */
        @JvmStatic
        @JvmOverloads
        @JvmName("yesNo")
        public fun boolean(schemaName: String, displayName: String, trueLabel: String = "Yes", falseLabel: String = "No"): ColumnSpec =
            ColumnSpec(
                schemaName, displayName, ColumnType.BOOLEAN,
                options = listOf(ChoiceOption(1, trueLabel), ChoiceOption(0, falseLabel)),
            )

        /** Date and time, stored in UTC. */
        @JvmStatic
        public fun dateTime(schemaName: String, displayName: String): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.DATE_TIME)

        /** Date without time. */
        @JvmStatic
        public fun dateOnly(schemaName: String, displayName: String): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.DATE_ONLY)

        /** Choice with explicit option values. */
        @JvmStatic
        public fun choice(schemaName: String, displayName: String, options: List<ChoiceOption>): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.CHOICE, options = options(options))

        /** Choice with these labels, valued 100000000, 100000001, … in order. */
        @JvmStatic
        public fun choice(schemaName: String, displayName: String, vararg labels: String): ColumnSpec =
            choice(schemaName, displayName, numbered(labels))

        /** Multi-select choice with explicit option values. */
        @JvmStatic
        public fun multiChoice(schemaName: String, displayName: String, options: List<ChoiceOption>): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.MULTI_CHOICE, options = options(options))

        /** Multi-select choice with these labels, valued 100000000, 100000001, … in order. */
        @JvmStatic
        public fun multiChoice(schemaName: String, displayName: String, vararg labels: String): ColumnSpec =
            multiChoice(schemaName, displayName, numbered(labels))

        /**
         * Lookup to the table [targetTable] (logical name). It is created as a one-to-many relationship named
         * `<target>_<table>_<schemaName>`; create a [OneToManySpec] yourself to choose the name or cascading.
         */
        @JvmStatic
        public fun lookup(schemaName: String, displayName: String, targetTable: String): ColumnSpec =
            ColumnSpec(
                schemaName, displayName, ColumnType.LOOKUP,
                targetTable = Identifiers.requireTable(targetTable),
            )

        // The defaults below are written without digit separators: Dokka reads no default value from `32_768`, and its
        // Java view of the docs would then lack the overload @JvmOverloads makes without it.

        /** File, at most [maxSizeInKB] KB (default 32768, i.e. 32 MB; at most 10 GB). */
        @JvmStatic
        @JvmOverloads
        public fun file(schemaName: String, displayName: String, maxSizeInKB: Int = 32768): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.FILE, maxSizeInKB = size(maxSizeInKB, MAX_FILE_SIZE_KB))

        /** Image, at most [maxSizeInKB] KB (default 10240, i.e. 10 MB; at most 30 MB). */
        @JvmStatic
        @JvmOverloads
        public fun image(schemaName: String, displayName: String, maxSizeInKB: Int = 10240): ColumnSpec =
            ColumnSpec(schemaName, displayName, ColumnType.IMAGE, maxSizeInKB = size(maxSizeInKB, MAX_IMAGE_SIZE_KB))

        private fun length(value: Int, max: Int): Int {
            if (value !in 1..max) throw InvalidInputException("'maxLength' must be between 1 and $max, but was $value.")
            return value
        }

        private fun size(value: Int, max: Int): Int {
            if (value !in 1..max) throw InvalidInputException("'maxSizeInKB' must be between 1 and $max, but was $value.")
            return value
        }

        private fun precision(value: Int, max: Int): Int {
            if (value !in 0..max) throw InvalidInputException("'precision' must be between 0 and $max, but was $value.")
            return value
        }

        private fun range(min: BigDecimal, max: BigDecimal) {
            if (min > max) throw InvalidInputException("'minValue' ($min) must not exceed 'maxValue' ($max).")
        }

        private fun options(options: List<ChoiceOption>): List<ChoiceOption> {
            if (options.isEmpty()) throw InvalidInputException("A choice column needs at least one option.")
            options.groupBy { it.value }.filterValues { it.size > 1 }.keys.firstOrNull()?.let {
                throw InvalidInputException("Option value $it appears more than once.")
            }
            options.groupBy { it.label.lowercase() }.filterValues { it.size > 1 }.keys.firstOrNull()?.let {
                throw InvalidInputException("Option label '$it' appears more than once.")
            }
            return options.toList()
        }

        private fun numbered(labels: Array<out String>): List<ChoiceOption> =
            labels.mapIndexed { index, label -> ChoiceOption(FIRST_OPTION_VALUE + index, label) }
    }
}
