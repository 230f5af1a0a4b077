package dev.dataverse.emulator.internal.odata

/**
 * Building blocks of row predicates with SQL's three-valued logic: a test answers true, false or unknown (null),
 * a comparison with a null value is unknown, and only rows whose whole condition is true match. So `ne`, `not` and
 * `not in` never return rows with nulls by accident — the behaviour of `$filter`, FetchXML and SQL on the service.
 */
internal object ThreeValued {

    /** True when every test is true, false when one is false, else unknown. */
    fun <T> all(tests: List<(T) -> Boolean?>): (T) -> Boolean? = { row ->
        var unknown = false
        var result: Boolean? = true
        for (test in tests) {
            when (test(row)) {
                false -> {
                    result = false
                    break
                }
                null -> unknown = true
                true -> Unit
            }
        }
        if (result == false) false else if (unknown) null else true
    }

    /** True when one test is true, false when every one is false, else unknown. */
    fun <T> any(tests: List<(T) -> Boolean?>): (T) -> Boolean? = { row ->
        var unknown = false
        var result: Boolean? = false
        for (test in tests) {
            when (test(row)) {
                true -> {
                    result = true
                    break
                }
                null -> unknown = true
                false -> Unit
            }
        }
        if (result == true) true else if (unknown) null else false
    }

    /** The negation; unknown stays unknown. */
    fun <T> not(test: (T) -> Boolean?): (T) -> Boolean? = { row -> test(row)?.not() }

    /** `value <operator> [literal]`, unknown when the value is null. */
    fun <T> compare(read: (T) -> Any?, operator: ComparisonOperator, literal: Any): (T) -> Boolean? = { row ->
        read(row)?.let { value -> holds(operator, ValueComparison.compare(value, literal)) }
    }

    /** Whether the value is null (or, [negated], is not); never unknown. */
    fun <T> isNull(read: (T) -> Any?, negated: Boolean): (T) -> Boolean? = { row -> (read(row) == null) != negated }

    /** Whether the value equals one of [values] (or, [negated], none of them). */
    fun <T> oneOf(read: (T) -> Any?, values: List<Any>, negated: Boolean): (T) -> Boolean? = { row ->
        read(row)?.let { value -> values.any { ValueComparison.compare(value, it) == 0 } != negated }
    }

    /** Whether the value lies in [low]..[high] inclusive (or, [negated], outside). */
    fun <T> between(read: (T) -> Any?, low: Any, high: Any, negated: Boolean): (T) -> Boolean? = { row ->
        read(row)?.let { value -> (ValueComparison.compare(value, low) >= 0 && ValueComparison.compare(value, high) <= 0) != negated }
    }

    /** Whether the text value passes [test] (or, [negated], fails it). */
    fun <T> text(read: (T) -> Any?, negated: Boolean, test: (String) -> Boolean): (T) -> Boolean? = { row ->
        (read(row) as String?)?.let { test(it) != negated }
    }

    /** Whether an ordering result [order] satisfies [operator]. */
    fun holds(operator: ComparisonOperator, order: Int): Boolean = when (operator) {
        ComparisonOperator.EQ -> order == 0
        ComparisonOperator.NE -> order != 0
        ComparisonOperator.GT -> order > 0
        ComparisonOperator.GE -> order >= 0
        ComparisonOperator.LT -> order < 0
        ComparisonOperator.LE -> order <= 0
    }
}
