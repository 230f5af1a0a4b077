package dev.dataverse.model

import dev.dataverse.EntityReference
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.Identifiers
import java.util.UUID

/**
 * A column of a generated table model, as a constant: its logical name plus the type of its values, so that filters on it
 * are checked by the compiler. Every filter a column builds is the very [Filter] the string form builds
 * (`Account.NAME.startsWith("Con")` equals `Filter.startsWith("name", "Con")`).
 *
 * ```kotlin
 * records.list("account", ListOptions(filter = (Account.NAME startsWith "Con") and (Account.STATECODE eq AccountState.ACTIVE)))
 * ```
 * ```java
 * Filter active = Account.NAME.startsWith("Con").and(Account.STATECODE.eq(AccountState.ACTIVE));
 * ```
 * Constants are created by generated code (`dataverse-codegen`); the column name is validated when the constant is made.
 */
public sealed class TypedColumn(
    /** The column's logical name, e.g. `name`: the key in value maps and `$select`. */
    public val logicalName: String,
) {
    init {
        Identifiers.requireColumn(logicalName, "column")
    }

    /** The name filters use: the logical name, or `_<name>_value` for lookups. */
    public open val filterName: String get() = logicalName

    /** `column eq null`. */
    public fun isNull(): Filter = Filter.isNull(filterName)

    /** `column ne null`. */
    public fun isNotNull(): Filter = Filter.isNotNull(filterName)

    override fun toString(): String = logicalName
}

/**
 * A column whose values of type [T] can be compared for equality. [T] is the Kotlin/Java type a generated model uses for
 * the column (`String`, `Boolean`, `UUID`, ...).
 */
public open class Column<T : Any>(logicalName: String) : TypedColumn(logicalName) {
    /** The value as the filter literal: a choice's integer value (what the service stores), else the value itself. */
    private fun literal(value: T): Any = if (value is ChoiceValue) value.value else value

    /** `column eq value`. */
    public infix fun eq(value: T): Filter = Filter.eq(filterName, literal(value))

    /** `column ne value`. */
    public infix fun ne(value: T): Filter = Filter.ne(filterName, literal(value))

    /**
     * The column equals one of [values].
     *
     * @throws InvalidInputException when [values] is empty.
     */
    public infix fun isIn(values: Collection<T>): Filter = Filter.isIn(filterName, values.map { literal(it) })

    /** The column equals one of [values]; see the collection form. */
    @SafeVarargs
    public fun isIn(vararg values: T): Filter = isIn(values.toList())
}

/** A column with ordered values (numbers, money, date-times): adds `gt`, `ge`, `lt`, `le` and `between`. */
public open class ComparableColumn<T : Comparable<T>>(logicalName: String) : Column<T>(logicalName) {
    /** `column gt value`. */
    public infix fun gt(value: T): Filter = Filter.gt(filterName, value)

    /** `column ge value`. */
    public infix fun ge(value: T): Filter = Filter.ge(filterName, value)

    /** `column lt value`. */
    public infix fun lt(value: T): Filter = Filter.lt(filterName, value)

    /** `column le value`. */
    public infix fun le(value: T): Filter = Filter.le(filterName, value)

    /** `column ge low and column le high`. */
    public fun between(low: T, high: T): Filter = Filter.between(filterName, low, high)
}

/** A text column (String, Memo): adds `startsWith`, `contains` and `endsWith`. */
public class StringColumn(logicalName: String) : ComparableColumn<String>(logicalName) {
    /** `startswith(column,'text')`. */
    public infix fun startsWith(text: String): Filter = Filter.startsWith(filterName, text)

    /** `contains(column,'text')`. */
    public infix fun contains(text: String): Filter = Filter.contains(filterName, text)

    /** `endswith(column,'text')`. */
    public infix fun endsWith(text: String): Filter = Filter.endsWith(filterName, text)
}

/**
 * A choice column (Picklist, State, Status) whose options are the enum [E]: filters compare the option's integer
 * [ChoiceValue.value], which is what the service stores (`statecode eq 0`).
 */
public class ChoiceColumn<E : ChoiceValue>(logicalName: String) : Column<E>(logicalName)

/**
 * A multi-select choice column whose options are the enum [E]. The service stores the selected values as one text
 * (`"1,3"`); filters use the `ContainValues` and `DoesNotContainValues` query functions (Learn: "Query data using the
 * Web API", multi-select choice columns).
 */
public class MultiChoiceColumn<E : ChoiceValue>(logicalName: String) : TypedColumn(logicalName) {
    /**
     * The column holds every one of [options] (and maybe others).
     *
     * @throws InvalidInputException when [options] is empty.
     */
    public fun containsValues(options: Collection<E>): Filter = function("ContainValues", options)

    /** The column holds every one of [options]; see the collection form. */
    @SafeVarargs
    public fun containsValues(vararg options: E): Filter = containsValues(options.toList())

    /**
     * The column holds none of [options].
     *
     * @throws InvalidInputException when [options] is empty.
     */
    public fun doesNotContainValues(options: Collection<E>): Filter = function("DoesNotContainValues", options)

    /** The column holds none of [options]; see the collection form. */
    @SafeVarargs
    public fun doesNotContainValues(vararg options: E): Filter = doesNotContainValues(options.toList())

    private fun function(name: String, options: Collection<E>): Filter {
        if (options.isEmpty()) throw InvalidInputException("$name needs at least one option for column '$logicalName'.")
        // Only integers and a validated identifier enter the expression: nothing here needs escaping.
        val values = options.map { it.value }.distinct().joinToString(",") { "'$it'" }
        return Filter.raw("Microsoft.Dynamics.CRM.$name(PropertyName='$logicalName',PropertyValues=[$values])")
    }
}

/**
 * A lookup column (Lookup, Customer, Owner). Filters compare the referenced record's id through the lookup's value
 * property `_<name>_value` (Learn: "Lookup properties"); writes bind it through the navigation property of the
 * referenced table, which [targets] maps (one entry per table a polymorphic lookup can point to).
 */
public class LookupColumn(
    logicalName: String,
    targets: Map<String, String>,
) : TypedColumn(logicalName) {
    /** Navigation property per referenced table's logical name, e.g. `account` → `parentcustomerid_account`. */
    public val targets: Map<String, String> = LinkedHashMap(targets)

    init {
        if (this.targets.isEmpty()) throw InvalidInputException("Lookup column '$logicalName' needs at least one target table.")
        this.targets.forEach { (table, navigation) ->
            Identifiers.requireTable(table)
            Identifiers.requireColumn(navigation, "navigation property")
        }
    }

    override val filterName: String get() = "_${logicalName}_value"

    /** `_<name>_value eq id`. */
    public infix fun eq(id: UUID): Filter = Filter.eq(filterName, id)

    /** `_<name>_value ne id`. */
    public infix fun ne(id: UUID): Filter = Filter.ne(filterName, id)

    /** `_<name>_value eq reference.id`, after checking that the lookup can point to the reference's table. */
    public infix fun eq(reference: EntityReference): Filter {
        navigationProperty(reference.table)
        return eq(reference.id)
    }

    /**
     * The navigation property through which this lookup binds a record of [table].
     *
     * @throws InvalidInputException when the lookup cannot point to [table].
     */
    public fun navigationProperty(table: String): String = targets[table]
        ?: throw InvalidInputException("Lookup column '$logicalName' cannot point to table '$table'; its targets are ${targets.keys.joinToString()}.")
}

/**
 * A file or image column. Models do not carry file content (it is transferred apart, in chunks): use this constant's
 * [logicalName] with the client's `files` operations.
 */
public class FileColumn(logicalName: String) : TypedColumn(logicalName)
