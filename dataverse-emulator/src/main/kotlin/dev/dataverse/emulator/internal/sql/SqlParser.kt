package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors

/**
 * Recursive-descent parser of the read-only SQL subset:
 * `SELECT [DISTINCT] columns | COUNT(*) [AS alias] FROM table [alias] [[INNER] | LEFT [OUTER] JOIN table [alias]
 * ON a.x = b.y] [WHERE ...] [GROUP BY columns] [ORDER BY column [ASC|DESC], ...]`, with the conditions of
 * [SqlConditionParser]. Everything else — writes, subqueries, unions, functions, expressions — is a 400 that says what is
 * not supported; nothing is guessed at.
 */
internal class SqlParser private constructor(sql: String) {
    private val cursor = SqlTokenCursor(SqlLexer(sql).tokens())
    private val conditions = SqlConditionParser(cursor)

    private fun statement(): SqlSelect {
        val first = cursor.peek()
        if (!first.isWord("SELECT")) {
            throw when {
                first.kind == SqlTokenKind.WORD && first.upper in SqlKeywords.WRITES ->
                    cursor.unsupported("Only SELECT statements are supported: the SQL endpoint is read-only ('${first.upper}' is not allowed).")
                first.isWord("WITH") -> cursor.unsupported("Common table expressions (WITH) are not supported.")
                else -> cursor.unexpected(first, "SELECT")
            }
        }
        cursor.advance()
        val distinct = cursor.acceptWord("DISTINCT")
        // Learn: webapi/query/sql: no TOP, no OFFSET ... FETCH; results are paged with odata.maxpagesize.
        // Learn's pages disagree: the Web API page ("Use SQL to query data") says TOP is not supported, the SDK for Python
        // page uses it. The emulator follows the Web API page; the client does not depend on either.
        if (cursor.peek().isWord("TOP")) throw cursor.unsupported("TOP is not supported; page the results with Prefer: odata.maxpagesize.")
        val items = cursor.commaSeparated(::selectItem)
        cursor.expectWord("FROM")
        val from = table()
        val join = join()
        if (JOINS.any { cursor.peek().isWord(it) }) throw cursor.unsupported("Only one JOIN is supported.")
        val where = if (cursor.acceptWord("WHERE")) conditions.or() else null
        val groupBy = if (cursor.acceptWord("GROUP")) {
            cursor.expectWord("BY")
            cursor.commaSeparated { cursor.column() }
        } else {
            emptyList()
        }
        val orderBy = if (cursor.acceptWord("ORDER")) {
            cursor.expectWord("BY")
            cursor.commaSeparated(::orderItem)
        } else {
            emptyList()
        }
        cursor.acceptSymbol(";")
        val end = cursor.peek()
        if (end.kind != SqlTokenKind.END) throw cursor.unexpected(end, "the end of the query")
        return SqlSelect(distinct, items, from, join, where, groupBy, orderBy)
    }

    private fun selectItem(): SqlSelectItem {
        val token = cursor.peek()
        return when {
            // Learn: webapi/query/sql: SELECT * is refused; the columns must be named.
            token.isSymbol("*") -> throw cursor.unsupported("SELECT * is not supported; name the columns.")
            token.isWord("COUNT") && cursor.peek(1).isSymbol("(") -> count()
            token.kind == SqlTokenKind.WORD && cursor.peek(1).isSymbol("(") -> throw cursor.function(token)
            token.isSymbol("(") ->
                throw cursor.unsupported(if (cursor.peek(1).isWord("SELECT")) "Subqueries are not supported." else "Expressions in the select list are not supported.")
            token.kind == SqlTokenKind.STRING || token.kind == SqlTokenKind.NUMBER -> throw cursor.unsupported("Literal values in the select list are not supported.")
            else -> SqlSelectItem.Column(cursor.column(allowStar = true), alias())
        }
    }

    private fun count(): SqlSelectItem {
        cursor.advance()
        cursor.expectSymbol("(")
        val item = if (cursor.acceptSymbol("*")) {
            SqlSelectItem.Count(null, distinct = false, alias = null)
        } else {
            val distinct = cursor.acceptWord("DISTINCT")
            SqlSelectItem.Count(cursor.column(), distinct, alias = null)
        }
        cursor.expectSymbol(")")
        return item.copy(alias = alias())
    }

    /** `AS name`, `AS 'name'`, or a bare name that is not a keyword. */
    private fun alias(): String? {
        if (cursor.acceptWord("AS")) {
            val token = cursor.advance()
            if (token.kind == SqlTokenKind.STRING || cursor.isIdentifier(token)) return token.text
            throw cursor.unexpected(token, "an alias")
        }
        return cursor.peek().takeIf(cursor::isIdentifier)?.let { cursor.advance().text }
    }

    private fun table(): SqlTableReference {
        val first = cursor.identifier("a table name")
        val name = if (first.text.equals("dbo", ignoreCase = true) && cursor.acceptSymbol(".")) cursor.identifier("a table name") else first
        if (cursor.peek().isSymbol("(")) throw cursor.unsupported("Table-valued functions are not supported.")
        val alias = if (cursor.acceptWord("AS")) cursor.identifier("an alias").text else cursor.peek().takeIf(cursor::isIdentifier)?.let { cursor.advance().text }
        return SqlTableReference(name.text, alias, name.position)
    }

    private fun join(): SqlJoin? {
        val token = cursor.peek()
        val outer = when {
            token.isWord("JOIN") -> false
            token.isWord("INNER") -> {
                cursor.advance()
                false
            }
            token.isWord("LEFT") -> {
                cursor.advance()
                cursor.acceptWord("OUTER")
                true
            }
            token.isWord("RIGHT") || token.isWord("FULL") || token.isWord("CROSS") -> throw cursor.unsupported("${token.upper} JOIN is not supported; use INNER or LEFT JOIN.")
            token.isSymbol(",") -> throw cursor.unsupported("Joining tables with ',' is not supported; use INNER or LEFT JOIN ... ON.")
            else -> return null
        }
        cursor.expectWord("JOIN")
        val table = table()
        cursor.expectWord("ON")
        val left = cursor.column()
        cursor.expectSymbol("=")
        val right = cursor.column()
        if (cursor.peek().isWord("AND") || cursor.peek().isWord("OR")) throw cursor.unsupported("A JOIN condition can only be one equality of two columns.")
        return SqlJoin(table, outer, left, right)
    }

    private fun orderItem(): SqlOrderItem {
        if (cursor.peek().kind == SqlTokenKind.NUMBER) throw cursor.unsupported("ORDER BY a column position is not supported; name the column.")
        val column = cursor.column()
        val descending = cursor.acceptWord("DESC")
        if (!descending) cursor.acceptWord("ASC")
        return SqlOrderItem(column, descending)
    }

    companion object {
        private val JOINS = listOf("JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS")

        /** Parses [sql]; throws a 400 [dev.dataverse.emulator.internal.ApiException] on anything outside the subset. */
        fun parse(sql: String): SqlSelect {
            if (sql.isBlank()) throw ApiErrors.badRequest("The SQL query is empty.")
            return SqlParser(sql).statement()
        }
    }
}
