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

/**
 * The Dataverse query functions of `$filter` the emulator evaluates, called as
 * `Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])`; [valueCount] is how many values they take.
 */
internal enum class QueryFunction(val functionName: String, val valueCount: IntRange, val negated: Boolean) {
    IN("In", 1..Int.MAX_VALUE, negated = false),
    NOT_IN("NotIn", 1..Int.MAX_VALUE, negated = true),
    BETWEEN("Between", 2..2, negated = false),
    NOT_BETWEEN("NotBetween", 2..2, negated = true),
    ;

    companion object {
        /** The namespace qualifying the functions' names. */
        const val NAMESPACE: String = "Microsoft.Dynamics.CRM."

        fun of(name: String): QueryFunction? = entries.firstOrNull { it.functionName == name }
    }
}

/** The syntax tree of a `$filter` expression, with properties always on the left of comparisons. */
internal sealed interface FilterExpression {
    data class And(val left: FilterExpression, val right: FilterExpression) : FilterExpression
    data class Or(val left: FilterExpression, val right: FilterExpression) : FilterExpression
    data class Not(val operand: FilterExpression) : FilterExpression
    data class Comparison(val property: String, val operator: ComparisonOperator, val value: Literal) : FilterExpression
    data class Function(val function: StringFunction, val property: String, val argument: String) : FilterExpression
    data class QueryFunctionCall(val function: QueryFunction, val property: String, val values: List<Literal>) : FilterExpression
}
