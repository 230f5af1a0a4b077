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
 * first. Evaluation uses SQL's three-valued logic ([ThreeValued]), so `ne` and `not` never return rows with nulls by accident.
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
        is FilterExpression.And -> ThreeValued.all(listOf(bind(expression.left), bind(expression.right)))
        is FilterExpression.Or -> ThreeValued.any(listOf(bind(expression.left), bind(expression.right)))
        is FilterExpression.Not -> ThreeValued.not(bind(expression.operand))
        is FilterExpression.Comparison -> comparison(expression)
        is FilterExpression.Function -> function(expression)
        is FilterExpression.QueryFunctionCall -> queryFunction(expression)
    }

    private fun comparison(expression: FilterExpression.Comparison): (T) -> Boolean? {
        val property = property(expression.property)
        val operator = expression.operator
        if (expression.value == Literal.Null) return nullComparison(property, operator)
        return ThreeValued.compare(property.read, operator, coerce(expression.value, property, operator))
    }

    private fun nullComparison(property: FilterProperty<T>, operator: ComparisonOperator): (T) -> Boolean? = when (operator) {
        ComparisonOperator.EQ -> ThreeValued.isNull(property.read, negated = false)
        ComparisonOperator.NE -> ThreeValued.isNull(property.read, negated = true)
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
        return when (expression.function) {
            StringFunction.CONTAINS -> ThreeValued.text(property.read, negated = false) { it.contains(argument, ignoreCase = true) }
            StringFunction.STARTS_WITH -> ThreeValued.text(property.read, negated = false) { it.startsWith(argument, ignoreCase = true) }
            StringFunction.ENDS_WITH -> ThreeValued.text(property.read, negated = false) { it.endsWith(argument, ignoreCase = true) }
        }
    }

    /** `In`/`NotIn`/`Between`/`NotBetween`: values come as strings (`PropertyValues=['1','2']`) whatever the property's type. */
    private fun queryFunction(expression: FilterExpression.QueryFunctionCall): (T) -> Boolean? {
        val property = property(expression.property)
        val values = expression.values.map { literal -> functionValue(expression.function, property, literal) }
        val negated = expression.function.negated
        return when (expression.function) {
            QueryFunction.IN, QueryFunction.NOT_IN -> ThreeValued.oneOf(property.read, values, negated)
            QueryFunction.BETWEEN, QueryFunction.NOT_BETWEEN -> ThreeValued.between(property.read, values[0], values[1], negated)
        }
    }

    private fun functionValue(function: QueryFunction, property: FilterProperty<T>, literal: Literal): Any {
        if (literal is Literal.Text && property.kind != ValueKind.STRING) {
            return TextValues.parse(property.kind, literal.value) ?: throw ApiErrors.badRequest(
                "The value '${literal.value}' of ${QueryFunction.NAMESPACE}${function.functionName} is not a valid ${property.kind.edmType} for '${property.name}'.",
            )
        }
        if (literal == Literal.Null) {
            throw ApiErrors.badRequest("${QueryFunction.NAMESPACE}${function.functionName} cannot take null among its PropertyValues.")
        }
        return coerce(literal, property, ComparisonOperator.EQ)
    }

    private fun property(name: String): FilterProperty<T> =
        resolve(name) ?: throw ApiErrors.propertyNotFound(name, typeName)

    /** The literal converted to the normalized type of [property], or a 400 naming both types. */
    private fun coerce(literal: Literal, property: FilterProperty<T>, operator: ComparisonOperator): Any {
        val value: Any? = when (property.kind) {
            ValueKind.STRING -> (literal as? Literal.Text)?.value
            ValueKind.INT32, ValueKind.INT64 -> when (literal) {
                is Literal.Integer -> literal.value
                is Literal.Decimal -> literal.value // compared by value: `numberofemployees gt 2.5`
                else -> null
            }
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
