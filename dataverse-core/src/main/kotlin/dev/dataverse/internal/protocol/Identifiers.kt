package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException

/**
 * Validation of the names that enter URLs and payloads. Dataverse logical names are ASCII identifiers; anything else
 * (`account/../x`, `name'`, spaces) is rejected before a request exists, so no name can change a URL's structure.
 */
internal object Identifiers {
    private val ORDER_BY = Regex("([A-Za-z_][A-Za-z0-9_]{0,127})(?: +(?:asc|desc))?", RegexOption.IGNORE_CASE)

    /**
     * `[A-Za-z_][A-Za-z0-9_]{0,127}`, checked by hand: every table and column name of every call passes here, and a regex
     * match costs more than the rest of the check put together.
     */
    fun isIdentifier(name: String): Boolean {
        if (name.isEmpty() || name.length > MAX_IDENTIFIER) return false
        if (!isIdentifierStart(name[0])) return false
        for (i in 1 until name.length) if (!isIdentifierStart(name[i]) && name[i] !in '0'..'9') return false
        return true
    }

    private fun isIdentifierStart(c: Char): Boolean = c in 'a'..'z' || c in 'A'..'Z' || c == '_'

    private const val MAX_IDENTIFIER = 128

    private val SOLUTION_NAME = Regex("[A-Za-z_][A-Za-z0-9_]{0,64}")

    /** A solution's unique name: letters, digits and underscores, starting with a letter or underscore, at most 65. */
    fun isSolutionName(name: String): Boolean = SOLUTION_NAME.matches(name)

    /** Refuses the empty GUID as a user id: no user has it, and the service would take it for "no impersonation". */
    fun requireUser(id: java.util.UUID?, name: String) {
        if (id != null && id.mostSignificantBits == 0L && id.leastSignificantBits == 0L) {
            throw InvalidInputException("'$name' cannot be the empty GUID 00000000-0000-0000-0000-000000000000.")
        }
    }

    /** Validates a table logical name and returns it lower-cased, the form the service and the metadata cache use. */
    fun requireTable(table: String): String {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (table == null || !isIdentifier(table)) {
            throw InvalidInputException("Invalid table name ${quote(table)}: expected a logical name such as 'account'.")
        }
        return table.lowercase()
    }

    fun requireColumn(column: String, what: String = "column") {
        @Suppress("SENSELESS_COMPARISON")
        if (column == null || !isIdentifier(column)) {
            throw InvalidInputException("Invalid $what name ${quote(column)}: expected a logical name such as 'name'.")
        }
    }

    fun requireOrderBy(clause: String) {
        @Suppress("SENSELESS_COMPARISON")
        if (clause == null || !ORDER_BY.matches(clause.trim())) {
            throw InvalidInputException("Invalid orderBy clause ${quote(clause)}: expected 'column', 'column asc' or 'column desc'.")
        }
    }

    /**
     * An expand clause is a navigation property, optionally followed by nested options in parentheses that must balance.
     * The nested options are sent as given (percent-encoded), like a filter.
     */
    fun requireExpand(clause: String) {
        @Suppress("SENSELESS_COMPARISON")
        val head = clause?.substringBefore('(')?.trim()
        val nested = clause?.substring(head?.length ?: 0)?.trim()
        val balanced = nested.isNullOrEmpty() || (nested.startsWith("(") && nested.endsWith(")") && balancedParentheses(nested))
        if (head == null || !isIdentifier(head) || !balanced) {
            throw InvalidInputException(
                "Invalid expand clause ${quote(clause)}: expected 'navigationproperty' or 'navigationproperty(\$select=a,b)'.",
            )
        }
    }

    private fun balancedParentheses(text: String): Boolean {
        var depth = 0
        var inString = false
        for (c in text) {
            when {
                c == '\'' -> inString = !inString
                inString -> Unit
                c == '(' -> depth++
                c == ')' -> if (--depth < 0) return false
            }
        }
        return depth == 0 && !inString
    }

    /**
     * Validates an `If-Match` ETag from [dev.dataverse.DataverseRecord.etag]; `null` means "any version" (`*`). Control characters
     * are refused because the value becomes a header line — of the request, or of a `$batch` part.
     */
    fun etagOrAny(etag: String?): String {
        if (etag == null) return "*"
        if (etag.isBlank() || etag.any { it.isISOControl() }) {
            throw InvalidInputException("Invalid ifMatch ETag ${quote(etag)}: pass DataverseRecord.etag, e.g. W/\"81052965\".")
        }
        return etag
    }

    /**
     * Quotes a value (a caller's, or one from a response) for an error message, making control characters visible and
     * leaving credentials out ([Redaction]).
     */
    fun quote(value: String?): String = if (value == null) "null" else buildString {
        append('\'')
        for (c in Redaction.redact(value.take(200))) if (c.isISOControl()) append("\\u%04x".format(c.code)) else append(c)
        if (value.length > 200) append("...")
        append('\'')
    }
}
