package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.work.DeadlineTicker

/**
 * SQL Server `LIKE` patterns, as FetchXML `like` and SQL `LIKE` use them: `%` matches any text, `_` one character,
 * `[abc]`, `[a-f]` and `[^abc]` one character of (or not of) a set; `[%]` matches a literal `%`. Matching ignores case,
 * as the service's default collation does.
 *
 * Matched without regular expressions and without backtracking: the pattern is cut at its `%`s into pieces of
 * single-character elements; the first piece must start the text, the last must end it, and each one between is found
 * at its leftmost place after the one before (leftmost is never worse, as each piece has a fixed length). That costs at
 * most the text's length times the pattern's, whatever the pattern: `%a%a%a…%c` against a long run of `a`s takes
 * microseconds, where a backtracking regular expression takes longer than the age of the universe.
 */
internal class LikePattern private constructor(private val pieces: List<List<Element>>, private val anchoredBothEnds: Boolean) {

    /** Whether [text] matches the pattern as a whole. */
    fun matches(text: CharSequence): Boolean {
        val ticker = DeadlineTicker()
        if (anchoredBothEnds) {
            val only = pieces.single()
            return text.length == only.size && matchesAt(only, text, 0, ticker)
        }
        val first = pieces.first()
        val last = pieces.last()
        if (first.size + last.size > text.length) return false
        if (!matchesAt(first, text, 0, ticker)) return false
        val end = text.length - last.size
        if (!matchesAt(last, text, end, ticker)) return false
        var at = first.size
        for (index in 1 until pieces.size - 1) {
            val piece = pieces[index]
            at = find(piece, text, at, end, ticker)
            if (at < 0) return false
            at += piece.size
        }
        return true
    }

    /** The first position in `[from, until - piece.size]` where [piece] matches [text], or -1. */
    private fun find(piece: List<Element>, text: CharSequence, from: Int, until: Int, ticker: DeadlineTicker): Int {
        for (start in from..until - piece.size) {
            if (matchesAt(piece, text, start, ticker)) return start
        }
        return -1
    }

    private fun matchesAt(piece: List<Element>, text: CharSequence, start: Int, ticker: DeadlineTicker): Boolean {
        for (offset in piece.indices) {
            ticker.tick()
            if (!piece[offset].matches(text[start + offset])) return false
        }
        return true
    }

    /** One element that matches exactly one character. */
    private sealed class Element {
        abstract fun matches(char: Char): Boolean

        object AnyOne : Element() {
            override fun matches(char: Char): Boolean = true
        }

        class Literal(private val expected: Char) : Element() {
            override fun matches(char: Char): Boolean = char.equals(expected, ignoreCase = true)
        }

        /** `[...]`: single characters and ranges, matched in any case, or their complement when [negated]. */
        class Set(private val singles: String, private val ranges: List<CharRange>, private val negated: Boolean) : Element() {
            override fun matches(char: Char): Boolean = contains(char) != negated

            private fun contains(char: Char): Boolean =
                variants(char).any { variant -> singles.any { it.equals(variant, ignoreCase = true) } || ranges.any { variant in it } }

            private fun variants(char: Char): List<Char> = listOf(char, char.uppercaseChar(), char.lowercaseChar())
        }
    }

    companion object {
        /** The matcher for [pattern]. */
        fun compile(pattern: String): LikePattern {
            val pieces = ArrayList<List<Element>>()
            var piece = ArrayList<Element>()
            var sawPercent = false
            var index = 0
            while (index < pattern.length) {
                val char = pattern[index]
                when (char) {
                    '%' -> {
                        sawPercent = true
                        pieces += piece
                        piece = ArrayList()
                    }
                    '_' -> piece += Element.AnyOne
                    '[' -> {
                        val close = pattern.indexOf(']', index + 2)
                        if (close < 0) {
                            piece += Element.Literal('[')
                        } else {
                            piece += characterSet(pattern.substring(index + 1, close))
                            index = close
                        }
                    }
                    else -> piece += Element.Literal(char)
                }
                index++
            }
            pieces += piece
            return LikePattern(pieces, anchoredBothEnds = !sawPercent)
        }

        private fun characterSet(content: String): Element {
            val negated = content.startsWith('^') && content.length > 1
            val members = if (negated) content.substring(1) else content
            val singles = StringBuilder()
            val ranges = ArrayList<CharRange>()
            var index = 0
            while (index < members.length) {
                if (index + 2 < members.length && members[index + 1] == '-') {
                    ranges += members[index]..members[index + 2]
                    index += 3
                } else {
                    singles.append(members[index])
                    index++
                }
            }
            return Element.Set(singles.toString(), ranges, negated)
        }
    }
}
