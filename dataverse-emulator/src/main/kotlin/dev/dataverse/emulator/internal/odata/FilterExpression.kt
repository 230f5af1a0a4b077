package dev.dataverse.emulator.internal.odata

/** Comparison operators of `$filter`, with the name OData error messages use for each. */
internal enum class ComparisonOperator(val keyword: String, val kindName: String) {
    EQ("eq", "Equal"),
    NE("ne", "NotEqual"),
    GT("gt", "GreaterThan"),
    GE("ge", "GreaterThanOrEqual"),
    LT("lt", "LessThan"),
    LE("le", "LessThanOrEqual"),
    ;

    /** The operator that gives the same result with its operands swapped (`5 lt x` is `x gt 5`). */
    fun mirrored(): ComparisonOperator = when (this) {
        EQ, NE -> this
        GT -> LT
        GE -> LE
        LT -> GT
        LE -> GE
    }

    companion object {
        fun of(keyword: String): ComparisonOperator? = entries.firstOrNull { it.keyword == keyword }
    }
}

/** The string functions of `$filter`. */
internal enum class StringFunction(val functionName: String) {
    CONTAINS("contains"),
    STARTS_WITH("startswith"),
    ENDS_WITH("endswith"),
    ;

    companion object {
        fun of(name: String): StringFunction? = entries.firstOrNull { it.functionName == name }
    }
}

/** The syntax tree of a `$filter` expression, with properties always on the left of comparisons. */
internal sealed interface FilterExpression {
    data class And(val left: FilterExpression, val right: FilterExpression) : FilterExpression
    data class Or(val left: FilterExpression, val right: FilterExpression) : FilterExpression
    data class Not(val operand: FilterExpression) : FilterExpression
    data class Comparison(val property: String, val operator: ComparisonOperator, val value: Literal) : FilterExpression
    data class Function(val function: StringFunction, val property: String, val argument: String) : FilterExpression
}
