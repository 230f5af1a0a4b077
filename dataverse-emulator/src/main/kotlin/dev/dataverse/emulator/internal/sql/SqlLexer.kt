package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors
import java.util.Locale

/** Kinds of SQL tokens. */
internal enum class SqlTokenKind {
    /** A word: a keyword or a plain identifier. */
    WORD,

    /** An identifier in brackets or double quotes: `[name]`, `"name"`. */
    QUOTED_IDENTIFIER,

    /** A string literal, `'...'` or `N'...'`, with `''` for a quote. */
    STRING,
    NUMBER,

    /** Punctuation and operators: `,`, `.`, `*`, `(`, `)`, `=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `/`, `%`, `;`. */
    SYMBOL,
    END,
}

/** A SQL token; [text] is the decoded text (quotes and brackets removed), [position] the 0-based offset in the query. */
internal data class SqlToken(val kind: SqlTokenKind, val text: String, val position: Int) {
    /** Whether this is the keyword [word] (case-insensitive). */
    fun isWord(word: String): Boolean = kind == SqlTokenKind.WORD && text.equals(word, ignoreCase = true)

    /** Whether this is the symbol [symbol]. */
    fun isSymbol(symbol: String): Boolean = kind == SqlTokenKind.SYMBOL && text == symbol

    /** The upper-case text, for keyword comparisons. */
    val upper: String get() = text.uppercase(Locale.ROOT)
}

/** Splits a T-SQL query into tokens, skipping whitespace and comments; a character it does not know is a 400. */
internal class SqlLexer(private val source: String) {
    private var index = 0

    /** All tokens, ending with [SqlTokenKind.END]. */
    fun tokens(): List<SqlToken> {
        val tokens = mutableListOf<SqlToken>()
        while (true) {
            val token = next()
            tokens += token
            if (token.kind == SqlTokenKind.END) return tokens
        }
    }

    private fun next(): SqlToken {
        skipSpaceAndComments()
        if (index >= source.length) return SqlToken(SqlTokenKind.END, "", index)
        val start = index
        val char = source[index]
        return when {
            char == '\'' -> string(start, start)
            (char == 'N' || char == 'n') && source.getOrNull(index + 1) == '\'' -> {
                index++
                string(start, index)
            }
            char.isLetter() || char == '_' -> word(start)
            char.isDigit() || (char == '.' && source.getOrNull(index + 1)?.isDigit() == true) -> number(start)
            char == '[' -> delimited(start, ']')
            char == '"' -> delimited(start, '"')
            char == '@' -> throw ApiErrors.badRequest("SQL variables and parameters ('@...' at position $start) are not supported by the emulator.")
            else -> symbol(start)
        }
    }

    private fun skipSpaceAndComments() {
        while (index < source.length) {
            when {
                source[index].isWhitespace() -> index++
                source.startsWith("--", index) -> index = source.indexOf('\n', index).let { if (it < 0) source.length else it + 1 }
                source.startsWith("/*", index) -> {
                    val end = source.indexOf("*/", index + 2)
                    if (end < 0) throw ApiErrors.badRequest("The SQL query has an unterminated comment at position $index.")
                    index = end + 2
                }
                else -> return
            }
        }
    }

    private fun string(start: Int, quote: Int): SqlToken {
        val value = StringBuilder()
        index = quote + 1
        while (true) {
            if (index >= source.length) throw ApiErrors.badRequest("The SQL query has an unterminated string literal at position $start.")
            val char = source[index]
            if (char == '\'') {
                if (source.getOrNull(index + 1) == '\'') {
                    value.append('\'')
                    index += 2
                    continue
                }
                index++
                return SqlToken(SqlTokenKind.STRING, value.toString(), start)
            }
            value.append(char)
            index++
        }
    }

    private fun word(start: Int) = take(SqlTokenKind.WORD, start) { it.isLetterOrDigit() || it == '_' || it == '$' || it == '#' }

    private fun number(start: Int): SqlToken {
        var seenPoint = false
        val token = take(SqlTokenKind.NUMBER, start) { char ->
            when {
                char.isDigit() -> true
                char == '.' && !seenPoint -> {
                    seenPoint = true
                    true
                }
                else -> false
            }
        }
        if (source.getOrNull(index)?.let { it.isLetter() || it == '_' } == true) {
            throw ApiErrors.badRequest("The SQL query has an invalid number at position $start.")
        }
        return token
    }

    private fun delimited(start: Int, close: Char): SqlToken {
        val end = source.indexOf(close, start + 1)
        if (end < 0) throw ApiErrors.badRequest("The SQL query has an unterminated identifier at position $start.")
        index = end + 1
        return SqlToken(SqlTokenKind.QUOTED_IDENTIFIER, source.substring(start + 1, end), start)
    }

    private fun symbol(start: Int): SqlToken {
        val two = source.substring(start, minOf(start + 2, source.length))
        val text = when {
            two in TWO_CHARACTER_SYMBOLS -> two
            source[start] in SINGLE_SYMBOLS -> source[start].toString()
            else -> throw ApiErrors.badRequest("The SQL query has the unexpected character '${source[start]}' at position $start.")
        }
        index = start + text.length
        return SqlToken(SqlTokenKind.SYMBOL, text, start)
    }

    private inline fun take(kind: SqlTokenKind, start: Int, accept: (Char) -> Boolean): SqlToken {
        while (index < source.length && accept(source[index])) index++
        return SqlToken(kind, source.substring(start, index), start)
    }

    private companion object {
        val TWO_CHARACTER_SYMBOLS = setOf("<>", "!=", "<=", ">=")
        const val SINGLE_SYMBOLS = ",.*()=<>+-/%;"
    }
}
