package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.ComparisonOperator
import dev.dataverse.emulator.internal.odata.TextValues
import dev.dataverse.emulator.internal.odata.ThreeValued
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.query.LikePattern
import dev.dataverse.emulator.internal.query.RowTest
import dev.dataverse.emulator.internal.query.SourceColumn

/**
 * The condition operators of FetchXML the emulator evaluates, compiled into row tests with SQL's three-valued logic
 * (so `ne` and `not-like` never match empty columns, as on the service). Values are read with the column's type;
 * one that does not fit, or the wrong number of values, is a 400.
 */
internal object FetchConditions {
    private val COMPARISONS = mapOf(
        "eq" to ComparisonOperator.EQ,
        "ne" to ComparisonOperator.NE,
        "neq" to ComparisonOperator.NE,
        "gt" to ComparisonOperator.GT,
        "ge" to ComparisonOperator.GE,
        "lt" to ComparisonOperator.LT,
        "le" to ComparisonOperator.LE,
    )

    /** Every operator name this object compiles. */
    val SUPPORTED: List<String> = COMPARISONS.keys.toList() + listOf(
        "like", "not-like", "begins-with", "not-begin-with", "ends-with", "not-end-with", "in", "not-in", "between", "not-between", "null", "not-null",
    )

    /** The test [condition] expresses on [column]. */
    fun compile(column: SourceColumn, condition: FetchCondition): RowTest {
        val operator = condition.operator
        COMPARISONS[operator]?.let { return ThreeValued.compare(column::read, it, single(column, condition)) }
        return when (operator) {
            "like", "not-like" -> {
                val pattern = LikePattern.compile(text(column, condition))
                ThreeValued.text(column::read, negated = operator == "not-like") { pattern.matches(it) }
            }
            "begins-with", "not-begin-with" -> {
                val prefix = text(column, condition)
                ThreeValued.text(column::read, negated = operator == "not-begin-with") { it.startsWith(prefix, ignoreCase = true) }
            }
            "ends-with", "not-end-with" -> {
                val suffix = text(column, condition)
                ThreeValued.text(column::read, negated = operator == "not-end-with") { it.endsWith(suffix, ignoreCase = true) }
            }
            "in", "not-in" -> {
                if (condition.values.isEmpty()) throw wrongCount(column, condition, "at least one value")
                ThreeValued.oneOf(column::read, condition.values.map { typed(column, condition, it) }, negated = operator == "not-in")
            }
            "between", "not-between" -> {
                if (condition.values.size != 2) throw wrongCount(column, condition, "exactly two values")
                val (low, high) = condition.values.map { typed(column, condition, it) }
                ThreeValued.between(column::read, low, high, negated = operator == "not-between")
            }
            "null", "not-null" -> {
                if (condition.values.isNotEmpty()) throw wrongCount(column, condition, "no value")
                ThreeValued.isNull(column::read, negated = operator == "not-null")
            }
            else -> throw ApiErrors.badRequest(
                "The condition operator '$operator' (on '${condition.attribute}') is not supported by the emulator. Supported operators: ${SUPPORTED.joinToString()}.",
            )
        }
    }

    private fun single(column: SourceColumn, condition: FetchCondition): Any {
        val value = condition.values.singleOrNull() ?: throw wrongCount(column, condition, "exactly one value")
        return typed(column, condition, value)
    }

    private fun text(column: SourceColumn, condition: FetchCondition): String {
        if (column.kind != ValueKind.STRING) {
            throw ApiErrors.badRequest(
                "The condition operator '${condition.operator}' needs a text column, but '$column' is of type ${column.kind.edmType}.",
            )
        }
        return single(column, condition) as String
    }

    private fun typed(column: SourceColumn, condition: FetchCondition, value: String): Any =
        TextValues.parse(column.kind, value) ?: throw ApiErrors.badRequest(
            "The value '$value' of the '${condition.operator}' condition on '$column' is not a valid ${column.kind.edmType}.",
        )

    private fun wrongCount(column: SourceColumn, condition: FetchCondition, expected: String) = ApiErrors.badRequest(
        "The condition operator '${condition.operator}' on '$column' takes $expected, but ${condition.values.size} were given.",
    )
}
