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
    /**
     * What the service refuses in a query (webapi/query/sql, "Use SQL to query data" (preview)): `SELECT *`,
     * `OFFSET … FETCH` (page with `odata.maxpagesize` instead), joins other than INNER and LEFT, HAVING, UNION and the
     * other set operators, EXISTS and subqueries. Each pattern runs on the text with literals and comments removed.
     *
     * `TOP` is not refused here although that Web API page says it is not supported: Learn's page on the SDK for Python
     * shows queries with `TOP`. Where the pages disagree the emulator follows the Web API page (it answers 400), and the
     * client neither relies on `TOP` nor refuses what the service may accept: it sends the query and lets the service
     * decide.
     */
    private val UNSUPPORTED = listOf(
        Regex("\\bSELECT\\s+(?:(?:ALL|DISTINCT)\\s+)?(?:[A-Za-z_][A-Za-z0-9_]*\\.)?\\*", RegexOption.IGNORE_CASE) to "SELECT * (name the columns)",
        Regex("\\b(?:OFFSET|FETCH)\\b", RegexOption.IGNORE_CASE) to "OFFSET … FETCH (the service pages results itself)",
        Regex("\\b(?:RIGHT|FULL|CROSS)\\s+(?:OUTER\\s+)?(?:JOIN|APPLY)\\b|\\bOUTER\\s+APPLY\\b", RegexOption.IGNORE_CASE) to "a join other than INNER or LEFT",
        Regex("\\bHAVING\\b", RegexOption.IGNORE_CASE) to "HAVING",
        Regex("\\b(?:UNION|INTERSECT|EXCEPT)\\b", RegexOption.IGNORE_CASE) to "UNION, INTERSECT or EXCEPT",
        Regex("\\bEXISTS\\b", RegexOption.IGNORE_CASE) to "EXISTS",
        Regex("\\(\\s*SELECT\\b", RegexOption.IGNORE_CASE) to "a subquery",
        Regex("\\bWITH\\b", RegexOption.IGNORE_CASE) to "a common table expression (WITH)",
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
        UNSUPPORTED.firstOrNull { (pattern, _) -> pattern.containsMatchIn(code) }?.let { (_, what) ->
            throw InvalidInputException("The Dataverse SQL endpoint does not support $what.")
        }
        val table = FROM.find(code)?.groupValues?.get(1)
            ?: throw InvalidInputException("The SQL query needs a FROM clause naming a table.")
        return Identifiers.requireTable(table)
    }
}
