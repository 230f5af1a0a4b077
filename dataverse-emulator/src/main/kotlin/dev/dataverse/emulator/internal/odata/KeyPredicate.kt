package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiException

/**
 * The text between the parentheses of a path segment: nothing (`WhoAmI()`), one bare value
 * (`accounts(<guid>)`), or named values (`accounts(accountnumber='A1')`, `contacts(firstname='Joe',lastname='X')`).
 */
internal sealed interface KeyPredicate {
    data object Empty : KeyPredicate
    data class Single(val value: Literal) : KeyPredicate
    data class Named(val values: Map<String, Literal>) : KeyPredicate

    companion object {
        /** Parses [text]; returns null when it is not valid key syntax. */
        fun parse(text: String): KeyPredicate? {
            val tokens = try {
                Lexer(text).tokens()
            } catch (e: ApiException) {
                return null
            }
            return when {
                tokens.size == 1 -> Empty
                tokens.size == 2 && tokens[0].kind == TokenKind.LITERAL -> Single(tokens[0].literal!!)
                else -> parseNamed(tokens)
            }
        }

        private fun parseNamed(tokens: List<Token>): KeyPredicate? {
            val values = LinkedHashMap<String, Literal>()
            var index = 0
            while (true) {
                val name = tokens[index]
                if (name.kind != TokenKind.IDENTIFIER || tokens[index + 1].kind != TokenKind.EQUALS) return null
                val value = tokens.getOrNull(index + 2)?.literal ?: return null
                if (values.put(name.text, value) != null) return null
                val next = tokens[index + 3]
                when (next.kind) {
                    TokenKind.END -> return Named(values)
                    TokenKind.COMMA -> index += 4
                    else -> return null
                }
            }
        }
    }
}
