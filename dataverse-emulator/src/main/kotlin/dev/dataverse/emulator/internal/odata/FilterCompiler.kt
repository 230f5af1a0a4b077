package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset

/** How a filterable property's values are typed; values are read already normalized to the Kotlin type noted. */
internal enum class ValueKind(val edmType: String) {
    /** String. */
    STRING("Edm.String"),

    /** Long. */
    INT32("Edm.Int32"),

    /** Long. */
    INT64("Edm.Int64"),

    /** BigDecimal. */
    DECIMAL("Edm.Decimal"),

    /** Boolean. */
    BOOLEAN("Edm.Boolean"),

    /** Lowercase GUID text. */
    GUID("Edm.Guid"),

    /** Instant. */
    DATE_TIME("Edm.DateTimeOffset"),

    /** LocalDate. */
    DATE("Edm.Date"),
    ;

    /** Whether [value] has the normalized Kotlin type of this kind. */
    fun accepts(value: Any): Boolean = when (this) {
        STRING, GUID -> value is String
        INT32, INT64 -> value is Long
        DECIMAL -> value is BigDecimal
        BOOLEAN -> value is Boolean
        DATE_TIME -> value is Instant
        DATE -> value is LocalDate
    }
}

/** A property `$filter` can reference: its kind and how to read its normalized value from a row. */
internal class FilterProperty<T>(val name: String, val kind: ValueKind, val read: (T) -> Any?)

/**
 * Turns a [FilterExpression] into a predicate over rows of type [T], checking every property and literal
 * first. Evaluation uses SQL's three-valued logic (a comparison with a null column value is unknown, and
 * only rows where the whole expression is true match), so `ne` and `not` never return rows with nulls by accident.
 */
internal class FilterCompiler<T>(
    private val typeName: String,
    private val resolve: (String) -> FilterProperty<T>?,
) {
    /** The predicate for [expression]; throws a 400 [dev.dataverse.emulator.internal.ApiException] when it does not fit the type. */
    fun compile(expression: FilterExpression): (T) -> Boolean {
        val evaluator = bind(expression)
        return { row -> evaluator(row) == true }
    }

    private fun bind(expression: FilterExpression): (T) -> Boolean? = when (expression) {
        is FilterExpression.And -> and(bind(expression.left), bind(expression.right))
        is FilterExpression.Or -> or(bind(expression.left), bind(expression.right))
        is FilterExpression.Not -> bind(expression.operand).let { inner -> { row -> inner(row)?.not() } }
        is FilterExpression.Comparison -> comparison(expression)
        is FilterExpression.Function -> function(expression)
    }

    private fun and(left: (T) -> Boolean?, right: (T) -> Boolean?): (T) -> Boolean? = { row ->
        val a = left(row)
        if (a == false) false else right(row).let { b -> if (b == false) false else if (a == true && b == true) true else null }
    }

    private fun or(left: (T) -> Boolean?, right: (T) -> Boolean?): (T) -> Boolean? = { row ->
        val a = left(row)
        if (a == true) true else right(row).let { b -> if (b == true) true else if (a == false && b == false) false else null }
    }

    private fun comparison(expression: FilterExpression.Comparison): (T) -> Boolean? {
        val property = property(expression.property)
        val operator = expression.operator
        if (expression.value == Literal.Null) return nullComparison(property, operator)
        val literal = coerce(expression.value, property, operator)
        return { row ->
            property.read(row)?.let { value -> test(operator, ValueComparison.compare(value, literal)) }
        }
    }

    private fun nullComparison(property: FilterProperty<T>, operator: ComparisonOperator): (T) -> Boolean? = when (operator) {
        ComparisonOperator.EQ -> { row -> property.read(row) == null }
        ComparisonOperator.NE -> { row -> property.read(row) != null }
        else -> throw ApiErrors.badRequest("The operator '${operator.keyword}' cannot compare '${property.name}' with null; use eq null or ne null.")
    }

    private fun function(expression: FilterExpression.Function): (T) -> Boolean? {
        val property = property(expression.property)
        if (property.kind != ValueKind.STRING) {
            throw ApiErrors.badRequest(
                "The function '${expression.function.functionName}' requires a string property, but '${property.name}' is of type '${property.kind.edmType}'.",
            )
        }
        val argument = expression.argument
        val test: (String) -> Boolean = when (expression.function) {
            StringFunction.CONTAINS -> { value -> value.contains(argument, ignoreCase = true) }
            StringFunction.STARTS_WITH -> { value -> value.startsWith(argument, ignoreCase = true) }
            StringFunction.ENDS_WITH -> { value -> value.endsWith(argument, ignoreCase = true) }
        }
        return { row -> (property.read(row) as String?)?.let(test) }
    }

    private fun property(name: String): FilterProperty<T> =
        resolve(name) ?: throw ApiErrors.propertyNotFound(name, typeName)

    private fun test(operator: ComparisonOperator, order: Int): Boolean = when (operator) {
        ComparisonOperator.EQ -> order == 0
        ComparisonOperator.NE -> order != 0
        ComparisonOperator.GT -> order > 0
        ComparisonOperator.GE -> order >= 0
        ComparisonOperator.LT -> order < 0
        ComparisonOperator.LE -> order <= 0
    }

    /** The literal converted to the normalized type of [property], or a 400 naming both types. */
    private fun coerce(literal: Literal, property: FilterProperty<T>, operator: ComparisonOperator): Any {
        val value: Any? = when (property.kind) {
            ValueKind.STRING -> (literal as? Literal.Text)?.value
            ValueKind.INT32, ValueKind.INT64 -> (literal as? Literal.Integer)?.value
            ValueKind.DECIMAL -> when (literal) {
                is Literal.Integer -> BigDecimal.valueOf(literal.value)
                is Literal.Decimal -> literal.value
                else -> null
            }
            ValueKind.BOOLEAN -> (literal as? Literal.Bool)?.value
            ValueKind.GUID -> (literal as? Literal.Guid)?.value?.toString()
            ValueKind.DATE_TIME -> when (literal) {
                is Literal.DateTime -> literal.value
                is Literal.Date -> literal.value.atStartOfDay(ZoneOffset.UTC).toInstant()
                else -> null
            }
            ValueKind.DATE -> (literal as? Literal.Date)?.value
        }
        return value ?: throw ApiErrors.badRequest(
            "A binary operator with incompatible types was detected. Found operand types '${property.kind.edmType}' and " +
                "'${literal.edmType}' for operator kind '${operator.kindName}'.",
        )
    }
}
