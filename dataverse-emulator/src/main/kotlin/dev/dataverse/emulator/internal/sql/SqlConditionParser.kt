package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.ComparisonOperator
import dev.dataverse.emulator.internal.odata.ExpressionNesting
import java.math.BigDecimal

/**
 * Parses `WHERE` conditions: `OR` binds loosest, then `AND`, then `NOT`; parentheses group; a predicate compares a column
 * with a literal (`=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`, either way round), or is `[NOT] LIKE 'pattern'`, `IS [NOT] NULL`,
 * `[NOT] IN (literals)` or `[NOT] BETWEEN literal AND literal`. Literals are strings (`'it''s'`, `N'...'`) and numbers.
 */
internal class SqlConditionParser(private val cursor: SqlTokenCursor) {

    private val depth = ExpressionNesting.Depth("SQL condition")

    fun or(): SqlCondition {
        val operands = mutableListOf(and())
        while (cursor.acceptWord("OR")) operands += and()
        return ExpressionNesting.balanced(operands, SqlCondition::Or)
    }

    private fun and(): SqlCondition {
        val operands = mutableListOf(not())
        while (cursor.acceptWord("AND")) operands += not()
        return ExpressionNesting.balanced(operands, SqlCondition::And)
    }

    private fun not(): SqlCondition = if (cursor.acceptWord("NOT")) depth.nested { SqlCondition.Not(not()) } else primary()

    private fun primary(): SqlCondition {
        val token = cursor.peek()
        if (token.isSymbol("(")) {
            if (cursor.peek(1).isWord("SELECT")) throw cursor.unsupported("Subqueries are not supported.")
            cursor.advance()
            val inner = depth.nested { or() }
            cursor.expectSymbol(")")
            return inner
        }
        if (token.isWord("EXISTS")) throw cursor.unsupported("EXISTS and subqueries are not supported.")
        if (isLiteralStart(token)) return mirroredComparison()
        val column = cursor.column()
        val next = cursor.peek()
        return when {
            next.isWord("IS") -> {
                cursor.advance()
                val negated = cursor.acceptWord("NOT")
                cursor.expectWord("NULL")
                SqlCondition.IsNull(column, negated)
            }
            next.isWord("NOT") -> {
                cursor.advance()
                negatable(column, negated = true)
            }
            next.isWord("LIKE") || next.isWord("IN") || next.isWord("BETWEEN") -> negatable(column, negated = false)
            else -> SqlCondition.Compare(column, comparisonOperator(), literal())
        }
    }

    private fun negatable(column: SqlColumnReference, negated: Boolean): SqlCondition {
        val keyword = cursor.advance()
        return when {
            keyword.isWord("LIKE") -> {
                val pattern = cursor.advance()
                if (pattern.kind != SqlTokenKind.STRING) throw ApiErrors.badRequest("LIKE needs a string pattern at position ${pattern.position}.")
                if (cursor.peek().isWord("ESCAPE")) throw cursor.unsupported("LIKE ... ESCAPE is not supported; use [%] or [_] for literal wildcards.")
                SqlCondition.Like(column, pattern.text, negated)
            }
            keyword.isWord("IN") -> {
                cursor.expectSymbol("(")
                if (cursor.peek().isWord("SELECT")) throw cursor.unsupported("Subqueries are not supported.")
                val values = cursor.commaSeparated { literal() }
                cursor.expectSymbol(")")
                SqlCondition.In(column, values, negated)
            }
            keyword.isWord("BETWEEN") -> {
                val low = literal()
                cursor.expectWord("AND")
                SqlCondition.Between(column, low, literal(), negated)
            }
            else -> throw cursor.unexpected(keyword, "LIKE, IN or BETWEEN")
        }
    }

    /** `5 < col`: turned around so the column is on the left. */
    private fun mirroredComparison(): SqlCondition {
        val value = literal()
        val operator = comparisonOperator()
        if (isLiteralStart(cursor.peek())) throw cursor.unsupported("Comparing two literal values is not supported; compare a column with a value.")
        return SqlCondition.Compare(cursor.column(), operator.mirrored(), value)
    }

    private fun comparisonOperator(): ComparisonOperator {
        val token = cursor.advance()
        return COMPARISONS[token.text].takeIf { token.kind == SqlTokenKind.SYMBOL }
            ?: throw cursor.unexpected(token, "a comparison operator (=, <>, <, <=, >, >=), LIKE, IN, BETWEEN or IS [NOT] NULL")
    }

    private fun literal(): SqlLiteral {
        val token = cursor.advance()
        return when {
            token.kind == SqlTokenKind.STRING -> SqlLiteral.Text(token.text)
            token.kind == SqlTokenKind.NUMBER -> SqlLiteral.Number(BigDecimal(token.text))
            token.isSymbol("-") && cursor.peek().kind == SqlTokenKind.NUMBER -> SqlLiteral.Number(BigDecimal(cursor.advance().text).negate())
            token.isWord("NULL") -> throw cursor.unsupported("Comparisons with NULL are never true in SQL; use IS NULL or IS NOT NULL.")
            token.kind == SqlTokenKind.WORD && cursor.peek().isSymbol("(") -> throw cursor.function(token)
            token.isSymbol("(") && cursor.peek().isWord("SELECT") -> throw cursor.unsupported("Subqueries are not supported.")
            cursor.isIdentifier(token) -> throw cursor.unsupported("Comparing two columns ('${token.text}') is not supported; compare a column with a value.")
            else -> throw cursor.unexpected(token, "a string or number literal")
        }
    }

    private fun isLiteralStart(token: SqlToken): Boolean =
        token.kind == SqlTokenKind.STRING || token.kind == SqlTokenKind.NUMBER || (token.isSymbol("-") && cursor.peek(1).kind == SqlTokenKind.NUMBER)

    private companion object {
        val COMPARISONS = mapOf(
            "=" to ComparisonOperator.EQ,
            "<>" to ComparisonOperator.NE,
            "!=" to ComparisonOperator.NE,
            "<" to ComparisonOperator.LT,
            "<=" to ComparisonOperator.LE,
            ">" to ComparisonOperator.GT,
            ">=" to ComparisonOperator.GE,
        )
    }
}
