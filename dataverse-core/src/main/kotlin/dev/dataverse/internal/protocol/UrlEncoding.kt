package dev.dataverse.internal.protocol

/**
 * Percent-encoding for the two places caller text enters a URL. Everything outside a small safe set is UTF-8
 * percent-encoded, so `'`-quoted literals survive intact and `&`, `#`, `?`, `+`, `%`, `/` and non-ASCII characters can
 * never end a parameter, a segment or the URL early.
 */
internal object UrlEncoding {
    private const val HEX = "0123456789ABCDEF"

    // Kept literal for readability of logged URLs; none of them can split a query parameter or a path segment.
    private val QUERY_SAFE = BooleanArray(128).also { safe ->
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~\$'(),:@*/".forEach { safe[it.code] = true }
    }
    private val SEGMENT_SAFE = BooleanArray(128).also { safe ->
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~\$'(),=:@*".forEach { safe[it.code] = true }
    }

    /** Encodes a query parameter's value (or name). */
    fun query(text: String): String = encode(text, QUERY_SAFE)

    /** Encodes text for a path segment, e.g. a key `accountnumber='A/1'` → `accountnumber='A%2F1'`. */
    fun pathSegment(text: String): String = encode(text, SEGMENT_SAFE)

    private fun encode(text: String, safe: BooleanArray): String {
        if (text.all { it.code < 128 && safe[it.code] }) return text
        ODataLiterals.requireWellFormed(text)
        val out = StringBuilder(text.length + 16)
        for (byte in text.toByteArray(Charsets.UTF_8)) {
            val b = byte.toInt() and 0xFF
            if (b < 128 && safe[b]) {
                out.append(b.toChar())
            } else {
                out.append('%').append(HEX[b shr 4]).append(HEX[b and 0x0F])
            }
        }
        return out.toString()
    }
}
