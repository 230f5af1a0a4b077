package dev.dataverse.model

import dev.dataverse.ColumnTypeException
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import java.util.UUID

/**
 * Conversions that generated models share, between the service's forms of choice, multi-select choice and lookup values
 * and their typed forms. Public because generated code lives in your packages; it is a stable part of the model runtime.
 */
public object ModelValues {
    private const val LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname"

    /**
     * The option of [options] whose value [record]'s [column] holds, or `null` when absent or null.
     *
     * @throws ColumnTypeException when the value is no option of [options] (the column gained an option after the model
     *   was generated: generate it again), or not a whole number.
     */
    @JvmStatic
    public fun <E : ChoiceValue> choice(record: DataverseRecord, column: String, options: Array<E>): E? {
        val value = record.getInt(column) ?: return null
        return option(record, column, options, value)
    }

    /**
     * The options a multi-select choice column holds (the service sends them as one text, `"1,3"`), in the order of
     * [options]; `null` when absent or null.
     *
     * @throws ColumnTypeException when a value is no option of [options], or the text is not a list of numbers.
     */
    @JvmStatic
    public fun <E : ChoiceValue> multiChoice(record: DataverseRecord, column: String, options: Array<E>): Set<E>? {
        val text = record.getString(column) ?: return null
        val values = text.split(',').map { part ->
            part.trim().toIntOrNull() ?: throw ColumnTypeException(
                "Column '$column' of '${record.table}' holds '$text', which is not a list of choice values.", column, record.table,
            )
        }.toSet()
        return options.filterTo(LinkedHashSet()) { it.value in values }.also { found ->
            values.firstOrNull { value -> found.none { it.value == value } }?.let { option(record, column, options, it) }
        }
    }

    /** The text the service takes for a multi-select choice column: the values in ascending order, comma-separated. */
    @JvmStatic
    public fun multiChoiceText(options: Collection<ChoiceValue>): String =
        options.map { it.value }.distinct().sorted().joinToString(",")

    /** The id a lookup holds (`_<name>_value`), or `null` when it is empty. */
    @JvmStatic
    public fun lookupId(record: DataverseRecord, column: LookupColumn): UUID? = record.getUuid(column.filterName)

    /**
     * The record a lookup points to, or `null` when it is empty. For a lookup with one target the table is that target;
     * for a polymorphic one it is read from the value's `Microsoft.Dynamics.CRM.lookuplogicalname` annotation, which the
     * typed operations ask for ([TableModel.needsAnnotations]).
     *
     * @throws ColumnTypeException when a polymorphic lookup's value comes without that annotation.
     */
    @JvmStatic
    public fun lookup(record: DataverseRecord, column: LookupColumn): EntityReference? {
        val id = lookupId(record, column) ?: return null
        val table = column.targets.keys.singleOrNull() ?: record.lookupLogicalName(column.filterName)
            ?: throw ColumnTypeException(
                "Lookup '${column.logicalName}' of '${record.table}' can point to ${column.targets.keys.joinToString()}, and the record does not " +
                    "say which (read it with annotations included).",
                column.logicalName, record.table,
            )
        return EntityReference(table, id)
    }

    /**
     * Puts a lookup's value into [values]: [reference] under the navigation property for its table, as the untyped
     * operations take it.
     *
     * @throws dev.dataverse.InvalidInputException when the lookup cannot point to [reference]'s table.
     */
    @JvmStatic
    public fun putLookup(values: MutableMap<String, Any?>, column: LookupColumn, reference: EntityReference) {
        values[column.navigationProperty(reference.table)] = reference
    }

    private fun <E : ChoiceValue> option(record: DataverseRecord, column: String, options: Array<E>, value: Int): E =
        options.firstOrNull { it.value == value } ?: throw ColumnTypeException(
            "Column '$column' of '${record.table}' holds $value, which is no option the model knows " +
                "(${options.joinToString { it.value.toString() }}); generate the model again from a current snapshot.",
            column, record.table,
        )
}
