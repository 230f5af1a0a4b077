package dev.dataverse.emulator.internal.work

/**
 * [text] for a `java.util.regex` match that may read it at most [maxReads] characters in all: a backtracking pattern
 * that would read it for ages (`(a+)+b` against a long run of `a`s) ends with [TooLong] instead. Every read of a
 * regular-expression match goes through [get], so the bound holds for any pattern.
 */
internal class BoundedText private constructor(private val text: CharSequence, private val reads: Counter) : CharSequence {
    constructor(text: CharSequence, maxReads: Long) : this(text, Counter(maxReads))

    override val length: Int get() = text.length

    override fun get(index: Int): Char {
        if (++reads.count > reads.max) throw TooLong()
        return text[index]
    }

    override fun subSequence(startIndex: Int, endIndex: Int): CharSequence = BoundedText(text.subSequence(startIndex, endIndex), reads)

    override fun toString(): String = text.toString()

    private class Counter(val max: Long) {
        var count = 0L
    }

    /** The match read more characters than it may. */
    class TooLong : RuntimeException("The match read more characters than it may", null, false, false)
}
