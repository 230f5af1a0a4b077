// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-Filter")

package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.ODataLiterals

/**
 * A typed OData `$filter` expression. Values are formatted by type and escaped by the library — strings quoted with
 * embedded quotes doubled, numbers, booleans, GUIDs, dates and date-times in their literal forms — so no value can change
 * the structure of the query, and every character round-trips. Composite expressions are parenthesised as needed.
 *
 * Kotlin, with the [where] DSL:
 * ```kotlin
 * val active = where { ("statecode" eq 0) and ("name" contains "O'Neil") and not("creditonhold" eq true) }
 * records.list("account", ListOptions(filter = active))
 * ```
 * Java:
 * ```java
 * Filter active = Filter.eq("statecode", 0).and(Filter.contains("name", "O'Neil")).and(Filter.eq("creditonhold", true).not());
 * ListOptions options = ListOptions.builder().filter(active).build();
 * ```
 * Column names are validated as identifiers at construction ([InvalidInputException]); when a query runs, they are also
 * checked against the table's metadata. [raw] keeps an escape hatch for expressions the builder does not cover.
 */
public sealed class Filter {
    /** The expression in OData syntax, e.g. `statecode eq 0 and contains(name,'O''Neil')`. */
    public abstract fun toODataString(): String

    /** Column names the expression reads; empty for [raw] expressions, which the library does not parse. */
    @get:JvmSynthetic
    internal abstract val columns: Set<String>

    /** Binding strength, for deciding where parentheses are needed. */
    @get:JvmSynthetic
    internal open val precedence: Int get() = ATOM

    /** Both this and [other]. */
    public infix fun and(other: Filter): Filter = Logical("and", this, other)

    /** Either this or [other]. */
    public infix fun or(other: Filter): Filter = Logical("or", this, other)

    /** The negation of this expression. */
    public operator fun not(): Filter = Not(this)

    override fun toString(): String = toODataString()

    override fun equals(other: Any?): Boolean = other is Filter && other.toODataString() == toODataString()

    override fun hashCode(): Int = toODataString().hashCode()

    private class Comparison(val column: String, val operator: String, val value: Any?) : Filter() {
        override val columns = setOf(column)
        override fun toODataString() = "$column $operator ${ODataLiterals.format(value)}"
    }

    private class Function(val name: String, val column: String, val text: String) : Filter() {
        override val columns = setOf(column)
        override fun toODataString() = "$name($column,${ODataLiterals.quote(text)})"
    }

    private class Logical(val operator: String, val left: Filter, val right: Filter) : Filter() {
        override val columns = left.columns + right.columns
        override val precedence = if (operator == "and") AND else OR
        override fun toODataString() = "${operand(left)} $operator ${operand(right)}"

        // Same-operator chains need no parentheses (both are associative); a weaker operand does.
        private fun operand(filter: Filter) = if (filter.precedence < precedence) "(${filter.toODataString()})" else filter.toODataString()
    }

    private class Not(val operand: Filter) : Filter() {
        override val columns = operand.columns
        override fun toODataString() = "not (${operand.toODataString()})"
    }

    private class Raw(val expression: String) : Filter() {
        override val columns = emptySet<String>()
        override val precedence = RAW // unknown content: always parenthesise when combined
        override fun toODataString() = expression
    }

    public companion object {
        private const val RAW = 0
        private const val OR = 1
        private const val AND = 2
        private const val ATOM = 3

        /** `column eq value`; `value` may be `null` (see also [isNull]). */
        @JvmStatic
        public fun eq(column: String, value: Any?): Filter = comparison(column, "eq", value)

        /** `column ne value`. */
        @JvmStatic
        public fun ne(column: String, value: Any?): Filter = comparison(column, "ne", value)

        /** `column gt value`. */
        @JvmStatic
        public fun gt(column: String, value: Any): Filter = comparison(column, "gt", value)

        /** `column ge value`. */
        @JvmStatic
        public fun ge(column: String, value: Any): Filter = comparison(column, "ge", value)

        /** `column lt value`. */
        @JvmStatic
        public fun lt(column: String, value: Any): Filter = comparison(column, "lt", value)

        /** `column le value`. */
        @JvmStatic
        public fun le(column: String, value: Any): Filter = comparison(column, "le", value)

        /** `column eq null`. */
        @JvmStatic
        public fun isNull(column: String): Filter = comparison(column, "eq", null)

        /** `column ne null`. */
        @JvmStatic
        public fun isNotNull(column: String): Filter = comparison(column, "ne", null)

        /** `contains(column,'text')`: the text appears anywhere in the column (case-insensitively on Dataverse). */
        @JvmStatic
        public fun contains(column: String, text: String): Filter = function("contains", column, text)

        /** `startswith(column,'text')`. */
        @JvmStatic
        public fun startsWith(column: String, text: String): Filter = function("startswith", column, text)

        /** `endswith(column,'text')`. */
        @JvmStatic
        public fun endsWith(column: String, text: String): Filter = function("endswith", column, text)

        /**
         * The column equals one of [values], as `(column eq v1 or column eq v2 ...)`.
         *
         * @throws InvalidInputException when [values] is empty: no row could match, which is almost always a bug.
         */
        @JvmStatic
        public fun isIn(column: String, values: Collection<Any>): Filter {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (values == null || values.isEmpty()) throw InvalidInputException("'in' needs at least one value for column '$column'.")
            return values.map { eq(column, it) }.reduce { acc, filter -> acc or filter }
        }

        /** `column ge low and column le high`. */
        @JvmStatic
        public fun between(column: String, low: Any, high: Any): Filter = ge(column, low) and le(column, high)

        /** All of [filters]. */
        @JvmStatic
        public fun all(vararg filters: Filter): Filter = combine(filters, "all") { a, b -> a and b }

        /** Any of [filters]. */
        @JvmStatic
        public fun any(vararg filters: Filter): Filter = combine(filters, "any") { a, b -> a or b }

        /**
         * An expression sent as given, for what the builder does not cover (lambda operators, date functions...). The
         * caller is responsible for its escaping; its columns are not checked against metadata.
         */
        @JvmStatic
        public fun raw(expression: String): Filter {
            @Suppress("SENSELESS_COMPARISON")
            if (expression == null || expression.isBlank()) throw InvalidInputException("A raw filter cannot be blank.")
            ODataLiterals.requireWellFormed(expression)
            return Raw(expression.trim())
        }

        private fun comparison(column: String, operator: String, value: Any?): Filter {
            Identifiers.requireColumn(column, "filter column")
            if (value != null) ODataLiterals.requireSupported(value, "filter column '$column'")
            return Comparison(column, operator, value)
        }

        private fun function(name: String, column: String, text: String): Filter {
            Identifiers.requireColumn(column, "filter column")
            @Suppress("SENSELESS_COMPARISON")
            if (text == null) throw InvalidInputException("$name needs a text for column '$column', not null.")
            ODataLiterals.requireWellFormed(text)
            return Function(name, column, text)
        }

        private inline fun combine(filters: Array<out Filter>, name: String, join: (Filter, Filter) -> Filter): Filter {
            if (filters.isEmpty()) throw InvalidInputException("'$name' needs at least one filter.")
            return filters.reduce(join)
        }
    }
}

/** Receiver of the [where] DSL: infix comparisons on column names. */
@DataverseDsl
public class FilterScope private constructor() {
    /** `column eq value`. */
    public infix fun String.eq(value: Any?): Filter = Filter.eq(this, value)

    /** `column ne value`. */
    public infix fun String.ne(value: Any?): Filter = Filter.ne(this, value)

    /** `column gt value`. */
    public infix fun String.gt(value: Any): Filter = Filter.gt(this, value)

    /** `column ge value`. */
    public infix fun String.ge(value: Any): Filter = Filter.ge(this, value)

    /** `column lt value`. */
    public infix fun String.lt(value: Any): Filter = Filter.lt(this, value)

    /** `column le value`. */
    public infix fun String.le(value: Any): Filter = Filter.le(this, value)

    /** `contains(column,'text')`. */
    public infix fun String.contains(text: String): Filter = Filter.contains(this, text)

    /** `startswith(column,'text')`. */
    public infix fun String.startsWith(text: String): Filter = Filter.startsWith(this, text)

    /** `endswith(column,'text')`. */
    public infix fun String.endsWith(text: String): Filter = Filter.endsWith(this, text)

    /** The column equals one of [values]. */
    public infix fun String.isIn(values: Collection<Any>): Filter = Filter.isIn(this, values)

    /** `column ge range.start and column le range.endInclusive`. */
    @JvmSynthetic
    public infix fun <T : Comparable<T>> String.between(range: ClosedRange<T>): Filter = Filter.between(this, range.start, range.endInclusive)

    /** `column eq null`. */
    public fun isNull(column: String): Filter = Filter.isNull(column)

    /** `column ne null`. */
    public fun isNotNull(column: String): Filter = Filter.isNotNull(column)

    /** The negation of [filter]. */
    public fun not(filter: Filter): Filter = !filter

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(): FilterScope = FilterScope()
    }
}

/** Builds a [Filter] with infix comparisons: `where { ("statecode" eq 0) and ("name" startsWith "Con") }`. */
@JvmSynthetic
public fun where(build: FilterScope.() -> Filter): Filter = FilterScope().build()
