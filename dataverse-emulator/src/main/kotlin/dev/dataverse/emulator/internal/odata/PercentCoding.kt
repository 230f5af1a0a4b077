package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors
import java.io.ByteArrayOutputStream

/** Percent-decoding and -encoding of URI parts, as UTF-8. */
internal object PercentCoding {

    /** Decodes a path: `%XX` sequences become bytes, `+` stays a plus sign. */
    fun decodePath(text: String): String = decode(text, plusIsSpace = false)

    /** Decodes a query-string name or value: `%XX` sequences become bytes and `+` is a space. */
    fun decodeQuery(text: String): String = decode(text, plusIsSpace = true)

    /** Encodes [text] for a query-string value: everything but RFC 3986 unreserved characters is escaped. */
    fun encodeQuery(text: String): String {
        val out = StringBuilder()
        for (byte in text.toByteArray(Charsets.UTF_8)) {
            val char = (byte.toInt() and 0xFF).toChar()
            if (char.isUnreserved()) out.append(char) else out.append('%').append(HEX[char.code shr 4]).append(HEX[char.code and 15])
        }
        return out.toString()
    }

    private fun decode(text: String, plusIsSpace: Boolean): String {
        if (text.none { it == '%' || (plusIsSpace && it == '+') }) return text
        val bytes = ByteArrayOutputStream(text.length)
        var index = 0
        while (index < text.length) {
            val char = text[index]
            when {
                char == '%' -> {
                    bytes.write(hexByte(text, index))
                    index += 3
                }
                char == '+' && plusIsSpace -> {
                    bytes.write(' '.code)
                    index++
                }
                else -> {
                    val end = if (char.isHighSurrogate() && index + 1 < text.length) index + 2 else index + 1
                    bytes.write(text.substring(index, end).toByteArray(Charsets.UTF_8))
                    index = end
                }
            }
        }
        return bytes.toString(Charsets.UTF_8)
    }

    private fun hexByte(text: String, index: Int): Int {
        val high = text.getOrNull(index + 1)?.digitToIntOrNull(16)
        val low = text.getOrNull(index + 2)?.digitToIntOrNull(16)
        if (high == null || low == null) {
            throw ApiErrors.badRequest("The request URI contains an invalid percent-encoding at position $index.")
        }
        return high * 16 + low
    }

    private fun Char.isUnreserved(): Boolean =
        this in 'A'..'Z' || this in 'a'..'z' || this in '0'..'9' || this == '-' || this == '.' || this == '_' || this == '~'

    private const val HEX = "0123456789ABCDEF"
}
