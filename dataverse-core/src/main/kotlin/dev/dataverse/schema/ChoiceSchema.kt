package dev.dataverse.schema

import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.InvalidInputException

/**
 * The options of a choice column (`Picklist`, `MultiSelectPicklist`, `State`, `Status`) or of a yes/no column
 * (`Boolean`: value 0 is false, 1 is true), as a schema snapshot records them (`choice` in the file).
 *
 * Options are kept sorted by value; two options with one value are refused. Labels are free text: they may repeat or
 * be no identifier at all, which code generators must cope with.
 */
public class ChoiceSchema @JvmOverloads constructor(
    options: List<ChoiceOptionSchema>,
    /** The name of the global choice (option set) the column uses, `null` for a local choice. */
    public val globalName: String? = null,
) {
    /** The options, ordered by value. */
    public val options: List<ChoiceOptionSchema>

    init {
        SchemaChecks.optional(globalName, "globalName")
        val sorted = options.sortedBy { it.value }
        for (index in 1 until sorted.size) {
            if (sorted[index].value == sorted[index - 1].value) throw InvalidInputException("Two choice options have the value ${sorted[index].value}.")
        }
        this.options = SchemaChecks.frozen(sorted)
    }

    /** The option with [value], or `null`. */
    public fun option(value: Int): ChoiceOptionSchema? = options.firstOrNull { it.value == value }

    override fun equals(other: Any?): Boolean = other is ChoiceSchema && other.globalName == globalName && other.options == options

    override fun hashCode(): Int = 31 * options.hashCode() + (globalName?.hashCode() ?: 0)

    override fun toString(): String = "ChoiceSchema(globalName=$globalName, options=$options)"

}

/** One option of a [ChoiceSchema]: its value and its label in the language the snapshot was exported in. */
public class ChoiceOptionSchema @JvmOverloads constructor(
    /** The option's value, as stored in records. */
    public val value: Int,
    /** The option's label; `null` when it has none. Not unique, not necessarily an identifier. */
    public val label: String? = null,
) {

    override fun equals(other: Any?): Boolean = other is ChoiceOptionSchema && other.value == value && other.label == label

    override fun hashCode(): Int = 31 * value + (label?.hashCode() ?: 0)

    override fun toString(): String = "$value=$label"

}

/** One table a lookup column can point to, with the single-valued navigation property used to bind or expand it. */
public class LookupTargetSchema(
    /** The logical name of the target table, e.g. `account`. */
    public val table: String,
    /**
     * The referencing table's navigation property for this target (`ReferencingEntityNavigationPropertyName` of the
     * relationship), e.g. `parentcustomerid_account`; `null` when the environment did not say.
     */
    public val navigationProperty: String?,
) {
    init {
        SchemaChecks.name(table, "table")
        SchemaChecks.optional(navigationProperty, "navigationProperty")
    }

    override fun equals(other: Any?): Boolean = other is LookupTargetSchema && other.table == table && other.navigationProperty == navigationProperty

    override fun hashCode(): Int = 31 * table.hashCode() + (navigationProperty?.hashCode() ?: 0)

    override fun toString(): String = "$table via $navigationProperty"

}

/** An alternate key of a table: its logical name and the columns whose values identify a record, in key order. */
public class AlternateKeySchema(
    /** The key's logical name, e.g. `accountnumberkey`. */
    public val logicalName: String,
    columns: List<String>,
) {
    /** The key's columns, in the order the key defines. */
    public val columns: List<String> = SchemaChecks.frozen(columns)

    init {
        SchemaChecks.name(logicalName, "logicalName")
        if (columns.isEmpty()) throw InvalidInputException("The alternate key '$logicalName' needs at least one column.")
        columns.forEach { SchemaChecks.name(it, "columns") }
    }

    override fun equals(other: Any?): Boolean = other is AlternateKeySchema && other.logicalName == logicalName && other.columns == columns

    override fun hashCode(): Int = 31 * logicalName.hashCode() + columns.hashCode()

    override fun toString(): String = "AlternateKeySchema($logicalName, $columns)"

}
