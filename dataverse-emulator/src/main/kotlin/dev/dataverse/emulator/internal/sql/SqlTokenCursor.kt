package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors

/** The keywords the SQL parsers treat specially. */
internal object SqlKeywords {
    /** Statements that write or change state: the endpoint is read-only. */
    val WRITES: Set<String> = setOf(
        "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "TRUNCATE", "EXEC", "EXECUTE", "GRANT", "REVOKE",
        "DENY", "DECLARE", "SET", "USE", "BEGIN", "COMMIT", "ROLLBACK",
    )

    /** T-SQL the subset does not have, named in the error when met. */
    val UNSUPPORTED: Set<String> = setOf(
        "UNION", "INTERSECT", "EXCEPT", "HAVING", "OFFSET", "FETCH", "INTO", "CROSS", "RIGHT", "FULL", "APPLY", "PIVOT", "UNPIVOT",
        "WITH", "CASE", "OVER", "FOR", "OPTION", "EXISTS", "ANY", "ALL", "SOME", "CAST", "CONVERT", "COLLATE",
    )

    /** Words that cannot be plain identifiers or aliases. */
    val RESERVED: Set<String> = UNSUPPORTED + WRITES + setOf(
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "JOIN", "INNER", "LEFT", "OUTER", "ON", "GROUP", "BY", "ORDER", "ASC", "DESC",
        "TOP", "DISTINCT", "AS", "IS", "NULL", "LIKE", "IN", "BETWEEN", "ESCAPE", "PERCENT",
    )
}

/** A position in the tokens of a SQL query, with the reading and error helpers both SQL parsers share. */
internal class SqlTokenCursor(private val tokens: List<SqlToken>) {
    private var position = 0

    fun peek(offset: Int = 0): SqlToken = tokens[minOf(position + offset, tokens.size - 1)]

    fun advance(): SqlToken = tokens[minOf(position++, tokens.size - 1)]

    fun acceptWord(word: String): Boolean = peek().isWord(word).also { if (it) advance() }

    fun acceptSymbol(symbol: String): Boolean = peek().isSymbol(symbol).also { if (it) advance() }

    fun expectWord(word: String) {
        val token = advance()
        if (!token.isWord(word)) throw unexpected(token, word)
    }

    fun expectSymbol(symbol: String) {
        val token = advance()
        if (!token.isSymbol(symbol)) throw unexpected(token, "'$symbol'")
    }

    /** [item] repeated, separated by commas. */
    fun <T> commaSeparated(item: () -> T): List<T> {
        val items = mutableListOf(item())
        while (acceptSymbol(",")) items += item()
        return items
    }

    /** `name`, `[name]` or `"name"`. */
    fun identifier(expected: String): SqlToken {
        val token = advance()
        if (!isIdentifier(token)) throw unexpected(token, expected)
        return token
    }

    fun isIdentifier(token: SqlToken): Boolean =
        token.kind == SqlTokenKind.QUOTED_IDENTIFIER || (token.kind == SqlTokenKind.WORD && token.upper !in SqlKeywords.RESERVED)

    /** `name` or `qualifier.name`; `qualifier.*` is a 400 saying so when [allowStar], a syntax error otherwise. */
    fun column(allowStar: Boolean = false): SqlColumnReference {
        val first = peek()
        if (first.kind == SqlTokenKind.WORD && peek(1).isSymbol("(")) throw function(first)
        val name = identifier("a column name")
        if (!acceptSymbol(".")) return SqlColumnReference(null, name.text, name.position)
        if (peek().isSymbol("*")) {
            throw if (allowStar) unsupported("'${name.text}.*' is not supported; name the columns.") else unexpected(peek(), "a column name")
        }
        val column = identifier("a column name")
        return SqlColumnReference(name.text, column.text, name.position)
    }

    fun function(token: SqlToken): Exception =
        unsupported("The SQL function '${token.upper}' is not supported; the only function is COUNT in the select list.")

    fun unexpected(token: SqlToken, expected: String): Exception = when {
        token.kind == SqlTokenKind.END -> ApiErrors.badRequest("The SQL query ended where $expected was expected.")
        token.kind == SqlTokenKind.WORD && token.upper in SqlKeywords.UNSUPPORTED -> unsupported("The SQL keyword '${token.upper}' is not supported.")
        token.kind == SqlTokenKind.SYMBOL && token.text in ARITHMETIC -> unsupported("Arithmetic expressions are not supported.")
        else -> ApiErrors.badRequest("Syntax error in the SQL query at position ${token.position}: found '${token.text}' where $expected was expected.")
    }

    fun unsupported(message: String): Exception = ApiErrors.badRequest("The SQL query is not supported by the emulator: $message")

    private companion object {
        val ARITHMETIC = setOf("+", "-", "*", "/", "%")
    }
}
