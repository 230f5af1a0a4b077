package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes

/**
 * Bounds on how deep the `$filter`, SQL and FetchXML parsers nest, so that no query — a `$batch` part may carry one of
 * 64 KB — can overflow the stack of the thread that serves it.
 *
 * Grouping (parentheses, `not`, nested `<filter>` and `<link-entity>`) may nest [MAX_DEPTH] levels. The service's own
 * limit is not documented; 400 is a guess in the range of the OData library's recursion limits, and the error is the
 * generic OData query error ([ErrorCodes.QUERY_TOO_DEEP]). Chains of `and`/`or` are not nesting for the caller, so
 * they are built as balanced trees ([balanced]), keeping the trees that evaluate them shallow however long the chain.
 */
internal object ExpressionNesting {
    const val MAX_DEPTH: Int = 400

    /** Chains up to this length keep their left-to-right shape; longer ones are split in halves. */
    private const val SMALL_CHAIN = 8

    /** Throws the "too deep" error for [what] when [depth] passes [MAX_DEPTH]. */
    fun check(depth: Int, what: String) {
        if (depth > MAX_DEPTH) throw tooDeep(what)
    }

    fun tooDeep(what: String): ApiException =
        ApiException(400, ErrorCodes.QUERY_TOO_DEEP, "The $what is nested more than $MAX_DEPTH levels deep.")

    /** The grouping depth of one parse of a [what]: [nested] runs a parser one level deeper, refusing past [MAX_DEPTH]. */
    class Depth(private val what: String) {
        private var depth = 0

        fun <T> nested(parse: () -> T): T {
            ExpressionNesting.check(++depth, what)
            try {
                return parse()
            } finally {
                depth--
            }
        }
    }

    /** [operands] joined by [join]: left to right when few, else as a balanced tree of depth about log2 of their count. */
    fun <T> balanced(operands: List<T>, join: (T, T) -> T): T {
        if (operands.size <= SMALL_CHAIN) return operands.reduce(join)
        val middle = operands.size / 2
        return join(balanced(operands.subList(0, middle), join), balanced(operands.subList(middle, operands.size), join))
    }
}
