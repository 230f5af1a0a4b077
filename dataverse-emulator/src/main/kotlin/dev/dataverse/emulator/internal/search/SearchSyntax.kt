package dev.dataverse.emulator.internal.search

/** The search text parsed: what a document must contain. */
internal sealed class SearchClause {
    /** One word; [prefix] for a trailing `*`, [fuzzy] edits allowed (`~`), [field] a column (`name:word`), [boost] `^n`. */
    data class Term(val text: String, val prefix: Boolean = false, val fuzzy: Int = 0, val field: String? = null, val boost: Double = 1.0) : SearchClause()

    /** Words in sequence (`"blue sky"`, or a word the analyzer splits such as `x-ray`). */
    data class Phrase(val words: List<String>, val field: String? = null, val boost: Double = 1.0) : SearchClause()

    /** A Lucene regular expression (`/[mh]otel/`) matched against whole words. */
    data class Pattern(val regex: SearchRegex, val field: String? = null) : SearchClause()

    data class And(val clauses: List<SearchClause>) : SearchClause()
    data class Or(val clauses: List<SearchClause>) : SearchClause()
    data class Not(val clause: SearchClause) : SearchClause()
}

/** The search text could not be parsed (Lucene syntax only: the simple syntax forgives, as the service's does). */
internal class SearchSyntaxException(message: String) : RuntimeException(message)

/**
 * Parses search text in the simple syntax (`+` and, `|` or, `-` not, `( )`, `"phrase"`, trailing `*`, `\` escapes) or,
 * with [lucene], the Lucene syntax (adds `AND`/`&&`, `OR`/`||`, `NOT`/`!`, `field:term`, `~` fuzzy and proximity,
 * `^` boosts and `/regex/`) (Learn: "Dataverse Search query", search parameter and Lucene query syntax). Words next to
 * each other are joined by and when [all] (search mode `all`), else by or. A negation always excludes: the emulator does
 * not reproduce the service's "or not" reading of `-` in mode `any`.
 */
internal class SearchSyntax private constructor(private val text: String, private val lucene: Boolean, private val all: Boolean) {
    private var at = 0

    private fun parseAll(): SearchClause? {
        val clause = parseOr()
        skipSpace()
        if (at < text.length) {
            if (lucene) fail("unexpected '${text[at]}' at position ${at + 1}")
        }
        return clause
    }

    private fun parseOr(): SearchClause? {
        val parts = ArrayList<SearchClause>()
        parseAnd()?.let(parts::add)
        while (true) {
            skipSpace()
            if (!acceptOperator("|", "||", "OR")) break
            val next = parseAnd()
            if (next == null) { if (lucene) fail("nothing after an 'or' operator") else continue }
            parts += next
        }
        return combine(parts, or = true)
    }

    /** A run of units: joined by explicit and operators, else by the search mode's default operator. */
    private fun parseAnd(): SearchClause? {
        var result: SearchClause? = null
        while (true) {
            skipSpace()
            if (at >= text.length || peek() == ')' || peekOperator("|", "||", "OR")) break
            val explicitAnd = acceptOperator("&&", "AND") || (peek() == '+' && run { at++; true })
            skipSpace()
            if (explicitAnd && (at >= text.length || peek() == ')')) { if (lucene) fail("nothing after an 'and' operator") else break }
            val unit = parseUnary() ?: continue
            result = when {
                result == null -> unit
                explicitAnd || all || unit is SearchClause.Not -> SearchClause.And(listOf(result, unit))
                else -> SearchClause.Or(listOf(result, unit))
            }
        }
        return result
    }

    private fun parseUnary(): SearchClause? {
        skipSpace()
        if (at >= text.length) return null
        val c = peek()
        if ((c == '-' || c == '!') && isOperatorPosition() && (c == '-' || lucene)) {
            at++
            return parseUnary()?.let { SearchClause.Not(it) } ?: if (lucene) fail("nothing after a 'not' operator") else null
        }
        if (lucene && acceptOperator("NOT")) return parseUnary()?.let { SearchClause.Not(it) } ?: fail("nothing after 'NOT'")
        return parsePrimary(field = null)
    }

    private fun parsePrimary(field: String?): SearchClause? {
        skipSpace()
        if (at >= text.length) return null
        when (peek()) {
            '(' -> {
                at++
                val inner = parseOr()
                skipSpace()
                if (at < text.length && peek() == ')') at++ else if (lucene) fail("a '(' is not closed")
                return boosted(inner)
            }
            ')' -> { at++; if (lucene) fail("a ')' has no matching '('") else return null }
            '"' -> return phrase(field)
            '/' -> if (lucene) return pattern(field)
        }
        if (peek() == '*') {
            if (lucene) fail("a wildcard cannot start a term; use a regular expression such as /.*pine/")
            at++
            return null
        }
        val word = word()
        if (word.isEmpty()) { at++; return null }
        if (lucene && field == null && at < text.length && peek() == ':' ) {
            at++
            return parsePrimary(word.lowercase()) ?: fail("nothing after field '$word:'")
        }
        val prefix = at < text.length && peek() == '*'
        if (prefix) at++
        val fuzzy = if (lucene && at < text.length && peek() == '~') { at++; number()?.toInt() ?: 2 } else 0
        if (fuzzy !in 0..2) fail("fuzzy search allows at most 2 edits")
        val boost = boost()
        val words = SearchText.tokens(word).map { it.text }
        return when {
            words.isEmpty() -> null
            words.size == 1 -> SearchClause.Term(words[0], prefix, fuzzy, field, boost)
            else -> SearchClause.Phrase(words, field, boost)
        }
    }

    private fun phrase(field: String?): SearchClause? {
        at++
        val start = at
        val content = StringBuilder()
        while (at < text.length && peek() != '"') {
            if (peek() == '\\' && at + 1 < text.length) at++
            content.append(text[at++])
        }
        if (at < text.length) at++ else if (lucene) fail("the quote at position $start is not closed")
        if (lucene && at < text.length && peek() == '~') { at++; number() } // Proximity: treated as the phrase's words in order.
        val boost = boost()
        val words = SearchText.tokens(content.toString()).map { it.text }
        return if (words.isEmpty()) null else SearchClause.Phrase(words, field, boost)
    }

    private fun pattern(field: String?): SearchClause {
        at++
        val start = at
        val content = StringBuilder()
        while (at < text.length && peek() != '/') {
            if (peek() == '\\' && at + 1 < text.length) content.append(text[at++])
            content.append(text[at++])
        }
        if (at >= text.length) fail("the regular expression at position $start is not closed")
        at++
        val regex = try {
            SearchRegex.compile(content.toString())
        } catch (e: SearchRegexException) {
            fail("invalid regular expression /$content/: ${e.message}")
        }
        return SearchClause.Pattern(regex, field)
    }

    private fun boosted(clause: SearchClause?): SearchClause? {
        boost()
        return clause
    }

    private fun boost(): Double {
        if (!lucene || at >= text.length || peek() != '^') return 1.0
        at++
        return number() ?: fail("a boost '^' needs a number")
    }

    private fun number(): Double? {
        val start = at
        while (at < text.length && (peek().isDigit() || peek() == '.')) at++
        return text.substring(start, at).toDoubleOrNull()
    }

    /** A word up to whitespace or an operator character; `\` escapes the next character. */
    private fun word(): String = buildString {
        while (at < text.length) {
            val c = peek()
            if (c == '\\' && at + 1 < text.length) { append(text[at + 1]); at += 2; continue }
            if (c.isWhitespace() || c in "()|\"*+" || (lucene && c in ":~^&")) break
            append(c)
            at++
        }
    }

    private fun isOperatorPosition(): Boolean = at == 0 || text[at - 1].isWhitespace() || text[at - 1] in "(+|-!"

    private fun peek(): Char = text[at]

    private fun skipSpace() {
        while (at < text.length && text[at].isWhitespace()) at++
    }

    private fun peekOperator(vararg symbols: String): Boolean = symbols.any { symbol ->
        val keyword = symbol[0].isLetter()
        if (keyword && !lucene) return@any false
        if (!keyword && symbol.length == 2 && !lucene) return@any false
        text.startsWith(symbol, at) && (!keyword || text.getOrNull(at + symbol.length)?.let { it.isWhitespace() || it == '(' } != false)
    }

    private fun acceptOperator(vararg symbols: String): Boolean {
        val symbol = symbols.firstOrNull { peekOperator(it) } ?: return false
        at += symbol.length
        return true
    }

    private fun combine(parts: List<SearchClause>, or: Boolean): SearchClause? = when (parts.size) {
        0 -> null
        1 -> parts[0]
        else -> if (or) SearchClause.Or(parts) else SearchClause.And(parts)
    }

    private fun fail(message: String): Nothing = throw SearchSyntaxException("Failed to parse query string: $message.")

    companion object {
        /** The clause [text] expresses, or null when it holds no word at all (such as `*`). */
        fun parse(text: String, lucene: Boolean, all: Boolean): SearchClause? = SearchSyntax(text, lucene, all).parseAll()
    }
}
