package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors

/** One path segment: `accounts`, or `accounts(accountnumber='A1')` with [keyText] `accountnumber='A1'`. */
internal data class PathSegment(val name: String, val keyText: String?) {
    override fun toString(): String = if (keyText == null) name else "$name($keyText)"
}

/** One query-string parameter, decoded, with its raw text kept for building next links. */
internal data class QueryParameter(val name: String, val value: String, val raw: String)

/**
 * A request URI below the API root, parsed from the raw text the client sent, so that key values keep
 * characters such as `/`, `'` and `%` that a decoded path would lose.
 */
internal class RequestTarget(
    /** The path after the API root, as sent (still percent-encoded), without the leading slash. */
    val rawPath: String,
    val segments: List<PathSegment>,
    val parameters: List<QueryParameter>,
) {
    /** The decoded value of query option [name] (`$select`, matched case-insensitively), or null. */
    fun option(name: String): String? = parameters.lastOrNull { it.name.equals(name, ignoreCase = true) }?.value

    companion object {
        /** Parses [rawTarget] (path and query as received); [rootPath] is the API root, e.g. `/api/data/v9.2`. */
        fun parse(rawTarget: String, rootPath: String): RequestTarget? {
            val withoutFragment = rawTarget.substringBefore('#')
            val rawPathFull = withoutFragment.substringBefore('?')
            val rawQuery = withoutFragment.substringAfter('?', "")
            if (rawPathFull != rootPath && !rawPathFull.startsWith("$rootPath/")) return null
            val rawPath = rawPathFull.removePrefix(rootPath).removePrefix("/")
            return RequestTarget(rawPath, parsePath(PercentCoding.decodePath(rawPath)), parseQuery(rawQuery))
        }

        private fun parseQuery(rawQuery: String): List<QueryParameter> =
            rawQuery.split('&').filter { it.isNotEmpty() }.map { raw ->
                val name = PercentCoding.decodeQuery(raw.substringBefore('='))
                val value = PercentCoding.decodeQuery(raw.substringAfter('=', ""))
                QueryParameter(name, value, raw)
            }

        /** Splits a decoded path on `/`, ignoring slashes inside quoted key values and parentheses. */
        fun parsePath(path: String): List<PathSegment> {
            val pieces = splitOutsideQuotes(path, '/')
            return pieces.dropLastWhile { it.isEmpty() }.map(::parseSegment)
        }

        private fun parseSegment(text: String): PathSegment {
            val open = indexOutsideQuotes(text, '(')
            if (open < 0) return PathSegment(text, null)
            if (!text.endsWith(")")) throw ApiErrors.badRequest("Bad Request - Error in query syntax: the segment '$text' is not valid.")
            return PathSegment(text.substring(0, open), text.substring(open + 1, text.length - 1))
        }

        /** Splits on [separator] where it is outside single quotes and at parenthesis depth zero. */
        fun splitOutsideQuotes(text: String, separator: Char): List<String> {
            val parts = mutableListOf<String>()
            var depth = 0
            var inQuotes = false
            var start = 0
            for ((index, char) in text.withIndex()) {
                when {
                    char == '\'' -> inQuotes = !inQuotes
                    inQuotes -> Unit
                    char == '(' -> depth++
                    char == ')' -> depth--
                    char == separator && depth == 0 -> {
                        parts += text.substring(start, index)
                        start = index + 1
                    }
                }
            }
            parts += text.substring(start)
            return parts
        }

        private fun indexOutsideQuotes(text: String, target: Char): Int {
            var inQuotes = false
            for ((index, char) in text.withIndex()) {
                if (char == '\'') inQuotes = !inQuotes else if (!inQuotes && char == target) return index
            }
            return -1
        }
    }
}
