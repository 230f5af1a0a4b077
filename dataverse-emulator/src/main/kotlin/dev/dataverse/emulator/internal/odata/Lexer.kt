package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors
import java.math.BigDecimal
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeParseException
import java.util.UUID

/** Kinds of tokens of the OData URL expression syntax. */
internal enum class TokenKind { IDENTIFIER, LITERAL, OPEN, CLOSE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, EQUALS, END }

/** A token; [literal] is set for [TokenKind.LITERAL], [position] is the 0-based offset in the source text. */
internal data class Token(val kind: TokenKind, val text: String, val position: Int, val literal: Literal? = null) {
    /** Whether this is the identifier [word] (keywords and operators are case-sensitive, as in OData). */
    fun isWord(word: String): Boolean = kind == TokenKind.IDENTIFIER && text == word
}

/**
 * Splits `$filter` and key-predicate text into tokens. Keywords (`and`, `eq`, ...) come out as identifiers;
 * `true`, `false` and `null` come out as literals. Errors name the character and position.
 */
internal class Lexer(private val source: String) {
    private var index = 0

    /** All tokens, ending with [TokenKind.END]. */
    fun tokens(): List<Token> {
        val tokens = mutableListOf<Token>()
        while (true) {
            val token = next()
            tokens += token
            if (token.kind == TokenKind.END) return tokens
        }
    }

    private fun next(): Token {
        while (index < source.length && source[index].isWhitespace()) index++
        if (index >= source.length) return Token(TokenKind.END, "", index)
        val start = index
        return when (val char = source[index]) {
            '(' -> single(TokenKind.OPEN, start)
            ')' -> single(TokenKind.CLOSE, start)
            '[' -> single(TokenKind.OPEN_BRACKET, start)
            ']' -> single(TokenKind.CLOSE_BRACKET, start)
            ',' -> single(TokenKind.COMMA, start)
            '=' -> single(TokenKind.EQUALS, start)
            '\'' -> text(start)
            else -> when {
                char.isDigit() || (char == '-' && source.getOrNull(index + 1)?.isDigit() == true) -> numeric(start)
                char.isLetter() || char == '_' -> word(start)
                else -> throw invalidCharacter(char, start)
            }
        }
    }

    private fun single(kind: TokenKind, start: Int): Token {
        index++
        return Token(kind, source.substring(start, index), start)
    }

    private fun text(start: Int): Token {
        val value = StringBuilder()
        index++
        while (true) {
            if (index >= source.length) throw ApiErrors.badRequest("Syntax error: there is an unterminated string literal at position $start in '$source'.")
            val char = source[index]
            if (char == '\'') {
                if (source.getOrNull(index + 1) == '\'') {
                    value.append('\'')
                    index += 2
                    continue
                }
                index++
                return Token(TokenKind.LITERAL, source.substring(start, index), start, Literal.Text(value.toString()))
            }
            value.append(char)
            index++
        }
    }

    private fun numeric(start: Int): Token {
        matchAt(GUID, start)?.let { return literalToken(start, it, Literal.Guid(UUID.fromString(it))) }
        matchAt(DATE_TIME, start)?.let { return literalToken(start, it, Literal.DateTime(parseDateTime(it, start))) }
        matchAt(DATE, start)?.let { return literalToken(start, it, Literal.Date(parseDate(it, start))) }
        val number = matchAt(NUMBER, start) ?: throw invalidLiteral(start)
        val literal = if (number.any { it == '.' || it == 'e' || it == 'E' }) {
            Literal.Decimal(BigDecimal(number), hasExponent = number.any { it == 'e' || it == 'E' })
        } else {
            number.toLongOrNull()?.let(Literal::Integer) ?: Literal.Decimal(BigDecimal(number), hasExponent = false)
        }
        return literalToken(start, number, literal)
    }

    private fun word(start: Int): Token {
        matchAt(GUID, start)?.let { return literalToken(start, it, Literal.Guid(UUID.fromString(it))) }
        val word = matchAt(IDENTIFIER, start)!!
        return when (word) {
            "true" -> literalToken(start, word, Literal.Bool(true))
            "false" -> literalToken(start, word, Literal.Bool(false))
            "null" -> literalToken(start, word, Literal.Null)
            else -> {
                index = start + word.length
                Token(TokenKind.IDENTIFIER, word, start)
            }
        }
    }

    private fun literalToken(start: Int, text: String, literal: Literal): Token {
        index = start + text.length
        return Token(TokenKind.LITERAL, text, start, literal)
    }

    /** The match of [regex] at [start] if it is followed by a character that cannot continue a word. */
    private fun matchAt(regex: Regex, start: Int): String? {
        val match = regex.matchAt(source, start) ?: return null
        val following = source.getOrNull(start + match.value.length)
        if (following != null && (following.isLetterOrDigit() || following == '_')) return null
        return match.value
    }

    private fun parseDateTime(text: String, start: Int) = try {
        val normalized = if (OFFSET.containsMatchIn(text)) text else "${text}Z"
        OffsetDateTime.parse(normalized).withOffsetSameInstant(ZoneOffset.UTC).toInstant()
    } catch (e: DateTimeParseException) {
        throw ApiErrors.badRequest("The date-time literal '$text' at position $start is not valid.")
    }

    private fun parseDate(text: String, start: Int) = try {
        LocalDate.parse(text)
    } catch (e: DateTimeParseException) {
        throw ApiErrors.badRequest("The date literal '$text' at position $start is not valid.")
    }

    private fun invalidLiteral(start: Int): Exception {
        val end = (start + 1 until source.length).firstOrNull { !(source[it].isLetterOrDigit() || source[it] in "-:.+_") } ?: source.length
        return ApiErrors.badRequest("Syntax error: '${source.substring(start, end)}' at position $start in '$source' is not a valid literal.")
    }

    private fun invalidCharacter(char: Char, position: Int) =
        ApiErrors.badRequest("Syntax error: character '$char' is not valid at position $position in '$source'.")

    private companion object {
        val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        val DATE_TIME = Regex("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?")
        val DATE = Regex("\\d{4}-\\d{2}-\\d{2}")
        val NUMBER = Regex("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")
        val OFFSET = Regex("(Z|[+-]\\d{2}:\\d{2})$")
        val IDENTIFIER = Regex("[A-Za-z_][A-Za-z0-9_./]*")
    }
}
