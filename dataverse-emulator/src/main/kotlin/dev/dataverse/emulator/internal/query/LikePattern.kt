package dev.dataverse.emulator.internal.query

/**
 * SQL Server `LIKE` patterns, as FetchXML `like` and SQL `LIKE` use them: `%` matches any text, `_` one character,
 * `[abc]`, `[a-f]` and `[^abc]` one character of (or not of) a set; `[%]` matches a literal `%`. Matching ignores case,
 * as the service's default collation does.
 */
internal object LikePattern {

    /** The regular expression equivalent to [pattern]. */
    fun compile(pattern: String): Regex {
        val regex = StringBuilder()
        var index = 0
        while (index < pattern.length) {
            val char = pattern[index]
            when (char) {
                '%' -> regex.append(".*")
                '_' -> regex.append('.')
                '[' -> {
                    val close = pattern.indexOf(']', index + 2)
                    if (close < 0) {
                        regex.append(Regex.escape("["))
                    } else {
                        regex.append(characterClass(pattern.substring(index + 1, close)))
                        index = close
                    }
                }
                else -> regex.append(Regex.escape(char.toString()))
            }
            index++
        }
        return Regex(regex.toString(), setOf(RegexOption.IGNORE_CASE, RegexOption.DOT_MATCHES_ALL))
    }

    private fun characterClass(content: String): String {
        val negated = content.startsWith('^') && content.length > 1
        val members = if (negated) content.substring(1) else content
        val out = StringBuilder(if (negated) "[^" else "[")
        var index = 0
        while (index < members.length) {
            val char = members[index]
            if (index + 2 < members.length && members[index + 1] == '-') {
                out.append(escape(char)).append('-').append(escape(members[index + 2]))
                index += 3
            } else {
                out.append(escape(char))
                index++
            }
        }
        return out.append(']').toString()
    }

    private fun escape(char: Char): String = if (char.isLetterOrDigit()) char.toString() else "\\$char"
}
