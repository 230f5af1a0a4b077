package dev.dataverse.emulator.internal.search

/** One word of a text: its lower-cased form and where it stands in the original text. */
internal class TextToken(val text: String, val start: Int, val end: Int)

/**
 * The emulator's analyzer: words are runs of letters and digits, compared ignoring case. The service's analyzers are
 * language-aware (stemming, stop words); this one is deliberately plain, so that results are predictable in tests.
 */
internal object SearchText {
    fun tokens(text: String): List<TextToken> {
        val tokens = ArrayList<TextToken>()
        var start = -1
        for (i in 0..text.length) {
            val word = i < text.length && text[i].isLetterOrDigit()
            if (word && start < 0) start = i
            if (!word && start >= 0) {
                tokens += TextToken(text.substring(start, i).lowercase(), start, i)
                start = -1
            }
        }
        return tokens
    }

    /** Whether [a] and [b] differ by at most [distance] insertions, deletions or substitutions (Levenshtein). */
    fun withinEdits(a: String, b: String, distance: Int): Boolean {
        if (kotlin.math.abs(a.length - b.length) > distance) return false
        var previous = IntArray(b.length + 1) { it }
        for (i in 1..a.length) {
            val current = IntArray(b.length + 1)
            current[0] = i
            for (j in 1..b.length) {
                current[j] = minOf(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + if (a[i - 1] == b[j - 1]) 0 else 1)
            }
            previous = current
        }
        return previous[b.length] <= distance
    }

    /** Whether some start of [token] is within [distance] edits of [prefix]: fuzzy matching of a word being typed. */
    fun startsWithinEdits(token: String, prefix: String, distance: Int): Boolean =
        (prefix.length - distance..prefix.length + distance).any { length -> length in 1..token.length && withinEdits(token.take(length), prefix, distance) }

    /** [text] with the characters between each span's start and end wrapped in the service's highlight markers. */
    fun highlight(text: String, spans: Collection<IntRange>): String {
        val sorted = spans.sortedBy { it.first }
        return buildString {
            var at = 0
            for (span in sorted) {
                if (span.first < at) continue
                append(text, at, span.first).append(HIT_START).append(text, span.first, span.last + 1).append(HIT_END)
                at = span.last + 1
            }
            append(text, at, text.length)
        }
    }

    /** Learn ("Dataverse Search query" example): matches are marked `{crmhit}...{/crmhit}`. */
    const val HIT_START: String = "{crmhit}"
    const val HIT_END: String = "{/crmhit}"
}
