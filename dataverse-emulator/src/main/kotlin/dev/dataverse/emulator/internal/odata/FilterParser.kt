package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors

/**
 * Recursive-descent parser of the `$filter` subset the emulator evaluates:
 * `or` binds loosest, then `and`, then `not`; parentheses group; comparisons put a property against a literal;
 * `contains`, `startswith` and `endswith` take a property and a string; the query functions `In`, `NotIn`, `Between`
 * and `NotBetween` of the `Microsoft.Dynamics.CRM` namespace take `PropertyName` and `PropertyValues`. Anything else is
 * rejected with a message saying what was not understood, never guessed at.
 */
internal class FilterParser private constructor(private val source: String) {
    private val tokens = Lexer(source).tokens()
    private var position = 0
    private val depth = ExpressionNesting.Depth("\$filter expression")

    private fun parseAll(): FilterExpression {
        if (peek().kind == TokenKind.END) throw ApiErrors.badRequest("The \$filter expression is empty.")
        val expression = parseOr()
        val rest = peek()
        if (rest.kind != TokenKind.END) throw unexpected(rest, "an operator such as 'and' or 'or'")
        return expression
    }

    private fun parseOr(): FilterExpression {
        val operands = mutableListOf(parseAnd())
        while (peek().isWord("or")) {
            advance()
            operands += parseAnd()
        }
        return ExpressionNesting.balanced(operands, FilterExpression::Or)
    }

    private fun parseAnd(): FilterExpression {
        val operands = mutableListOf(parseNot())
        while (peek().isWord("and")) {
            advance()
            operands += parseNot()
        }
        return ExpressionNesting.balanced(operands, FilterExpression::And)
    }

    private fun parseNot(): FilterExpression {
        if (peek().isWord("not")) {
            advance()
            return depth.nested { FilterExpression.Not(parseNot()) }
        }
        return parsePrimary()
    }

    private fun parsePrimary(): FilterExpression {
        val token = peek()
        return when {
            token.kind == TokenKind.OPEN -> parseGroup()
            token.kind == TokenKind.IDENTIFIER && peek(1).kind == TokenKind.OPEN && token.text.contains('.') -> parseQueryFunction()
            token.kind == TokenKind.IDENTIFIER && peek(1).kind == TokenKind.OPEN -> parseFunctionTerm()
            else -> parseComparison()
        }
    }

    private fun parseGroup(): FilterExpression {
        advance()
        val inner = depth.nested { parseOr() }
        expect(TokenKind.CLOSE, "')'")
        return inner
    }

    /** `contains(name,'x')`, optionally compared with `eq true` / `eq false` / `ne ...`. */
    private fun parseFunctionTerm(): FilterExpression {
        val call = parseFunctionCall()
        val operator = peek().takeIf { it.kind == TokenKind.IDENTIFIER }?.let { ComparisonOperator.of(it.text) } ?: return call
        val operatorToken = advance()
        val value = advance()
        val expected = (value.literal as? Literal.Bool)?.value
            ?: throw ApiErrors.badRequest("The result of '${call.function.functionName}' can only be compared with true or false (position ${value.position}).")
        return when (operator) {
            ComparisonOperator.EQ -> if (expected) call else FilterExpression.Not(call)
            ComparisonOperator.NE -> if (expected) FilterExpression.Not(call) else call
            else -> throw ApiErrors.badRequest("The operator '${operatorToken.text}' cannot be applied to a boolean function result (position ${operatorToken.position}).")
        }
    }

    private fun parseFunctionCall(): FilterExpression.Function {
        val name = advance()
        val function = StringFunction.of(name.text)
            ?: throw ApiErrors.badRequest("The function '${name.text}' at position ${name.position} is not supported. Supported functions: contains, startswith, endswith.")
        expect(TokenKind.OPEN, "'('")
        val property = propertyName(advance(), "the first argument of '${name.text}'")
        expect(TokenKind.COMMA, "','")
        val argumentToken = advance()
        val argument = (argumentToken.literal as? Literal.Text)?.value
            ?: throw ApiErrors.badRequest("The second argument of '${name.text}' must be a string literal (position ${argumentToken.position}).")
        expect(TokenKind.CLOSE, "')'")
        return FilterExpression.Function(function, property, argument)
    }

    /** `Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])`. */
    private fun parseQueryFunction(): FilterExpression {
        val name = advance()
        val function = name.text.takeIf { it.startsWith(QueryFunction.NAMESPACE) }?.let { QueryFunction.of(it.removePrefix(QueryFunction.NAMESPACE)) }
            ?: throw ApiErrors.badRequest(
                "The query function '${name.text}' at position ${name.position} is not supported by the emulator. Supported: " +
                    QueryFunction.entries.joinToString { QueryFunction.NAMESPACE + it.functionName } + ".",
            )
        expect(TokenKind.OPEN, "'('")
        var property: String? = null
        var values: List<Literal>? = null
        do {
            val parameter = expect(TokenKind.IDENTIFIER, "a parameter name")
            expect(TokenKind.EQUALS, "'='")
            when (parameter.text) {
                "PropertyName" -> property = propertyNameArgument(name.text)
                "PropertyValues" -> values = literalList()
                else -> throw ApiErrors.badRequest("The parameter '${parameter.text}' of '${name.text}' is not supported; it takes PropertyName and PropertyValues.")
            }
        } while (accept(TokenKind.COMMA))
        expect(TokenKind.CLOSE, "')'")
        if (property == null || values == null) throw ApiErrors.badRequest("'${name.text}' needs both PropertyName and PropertyValues.")
        if (values.size !in function.valueCount) {
            val expected = if (function.valueCount.first == function.valueCount.last) "exactly ${function.valueCount.first}" else "at least ${function.valueCount.first}"
            throw ApiErrors.badRequest("'${name.text}' takes $expected value(s) in PropertyValues, not ${values.size}.")
        }
        return FilterExpression.QueryFunctionCall(function, property, values)
    }

    private fun propertyNameArgument(function: String): String {
        val token = advance()
        val text = (token.literal as? Literal.Text)?.value
            ?: throw ApiErrors.badRequest("PropertyName of '$function' must be a string literal naming a property (position ${token.position}).")
        return propertyName(Token(TokenKind.IDENTIFIER, text, token.position), "a property name")
    }

    /** `['a','b']`: literals in brackets. */
    private fun literalList(): List<Literal> {
        expect(TokenKind.OPEN_BRACKET, "'['")
        val values = mutableListOf<Literal>()
        if (peek().kind != TokenKind.CLOSE_BRACKET) {
            do {
                val token = advance()
                values += token.literal ?: throw unexpected(token, "a literal value")
            } while (accept(TokenKind.COMMA))
        }
        expect(TokenKind.CLOSE_BRACKET, "']'")
        return values
    }

    private fun parseComparison(): FilterExpression {
        val left = advance()
        if (left.kind != TokenKind.IDENTIFIER && left.kind != TokenKind.LITERAL) {
            throw unexpected(left, "a property, a literal value, a function or '('")
        }
        val operatorToken = advance()
        val operator = operatorToken.takeIf { it.kind == TokenKind.IDENTIFIER }?.let { ComparisonOperator.of(it.text) }
            ?: throw unexpected(operatorToken, "a comparison operator (eq, ne, gt, ge, lt, le)")
        val right = advance()
        return when {
            left.kind == TokenKind.IDENTIFIER && right.kind == TokenKind.LITERAL ->
                FilterExpression.Comparison(propertyName(left, "a property"), operator, right.literal!!)
            left.kind == TokenKind.LITERAL && right.kind == TokenKind.IDENTIFIER ->
                FilterExpression.Comparison(propertyName(right, "a property"), operator.mirrored(), left.literal!!)
            left.kind == TokenKind.IDENTIFIER && right.kind == TokenKind.IDENTIFIER ->
                throw ApiErrors.badRequest("Comparing two properties ('${left.text}' and '${right.text}') is not supported; compare a property with a literal value.")
            left.kind == TokenKind.LITERAL && right.kind == TokenKind.LITERAL ->
                throw ApiErrors.badRequest("Comparing two literal values ('${left.text}' and '${right.text}') is not supported; compare a property with a literal value.")
            else -> throw unexpected(right, "a property or a literal value")
        }
    }

    private fun propertyName(token: Token, role: String): String {
        if (token.kind != TokenKind.IDENTIFIER || KEYWORDS.contains(token.text)) throw unexpected(token, role)
        if (token.text.contains('/')) {
            throw ApiErrors.badRequest("The property path '${token.text}' is not supported in \$filter: navigation and lambda paths are not evaluated by the emulator.")
        }
        if (token.text.contains('.')) {
            throw ApiErrors.badRequest("The qualified name '${token.text}' is not supported in \$filter: only the query functions In, NotIn, Between and NotBetween are.")
        }
        return token.text
    }

    private fun expect(kind: TokenKind, description: String): Token {
        val token = peek()
        if (token.kind != kind) throw unexpected(token, description)
        return advance()
    }

    /** Consumes the next token when it is of [kind]; returns whether it did. */
    private fun accept(kind: TokenKind): Boolean = (peek().kind == kind).also { if (it) advance() }

    private fun peek(offset: Int = 0): Token = tokens[minOf(position + offset, tokens.size - 1)]

    private fun advance(): Token = tokens[minOf(position++, tokens.size - 1)]

    private fun unexpected(token: Token, expected: String) =
        if (token.kind == TokenKind.END) {
            ApiErrors.badRequest("Syntax error: the \$filter expression '$source' ended where $expected was expected.")
        } else {
            ApiErrors.badRequest("Syntax error at position ${token.position} in '$source': found '${token.text}' where $expected was expected.")
        }

    companion object {
        private val KEYWORDS = setOf("and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le")

        /** Parses [source]; throws an [dev.dataverse.emulator.internal.ApiException] (400) on any error. */
        fun parse(source: String): FilterExpression = FilterParser(source).parseAll()
    }
}
