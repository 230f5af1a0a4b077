package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException

/**
 * Client-side checks of queries sent through the Web API's `?sql=` option, which is read-only: anything but a single
 * `SELECT` statement is refused before sending, and the entity set is taken from the first `FROM` table.
 */
internal object SqlQueries {
    private val STRING_LITERAL = Regex("'(?:[^']|'')*'")
    private val COMMENTS = Regex("--[^\\n]*|/\\*.*?\\*/", RegexOption.DOT_MATCHES_ALL)
    private val WRITES = Regex(
        "\\b(INSERT|UPDATE|DELETE|MERGE|DROP|ALTER|CREATE|TRUNCATE|EXEC|EXECUTE|GRANT|REVOKE|DENY|INTO|BULK|OPENROWSET|DECLARE|SET)\\b",
        RegexOption.IGNORE_CASE,
    )
    private val FROM = Regex("\\bFROM\\s+\\[?([A-Za-z_][A-Za-z0-9_]*)]?", RegexOption.IGNORE_CASE)

    /** Validates [sql] and returns the logical name of the table it reads. */
    fun requireReadOnly(sql: String): String {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (sql == null || sql.isBlank()) throw InvalidInputException("The SQL query cannot be blank.")
        ODataLiterals.requireWellFormed(sql)
        val code = COMMENTS.replace(STRING_LITERAL.replace(sql, "''"), " ").trim().removeSuffix(";").trim()
        if (!code.startsWith("SELECT", ignoreCase = true) || !code.getOrElse(6) { ' ' }.isWhitespace()) {
            throw InvalidInputException("Only SELECT statements can be run through the SQL endpoint, which is read-only.")
        }
        if (';' in code) throw InvalidInputException("Only a single SQL statement can be sent.")
        WRITES.find(code)?.let { throw InvalidInputException("'${it.value}' is not allowed: the SQL endpoint is read-only and accepts SELECT only.") }
        val table = FROM.find(code)?.groupValues?.get(1)
            ?: throw InvalidInputException("The SQL query needs a FROM clause naming a table.")
        return Identifiers.requireTable(table)
    }
}
