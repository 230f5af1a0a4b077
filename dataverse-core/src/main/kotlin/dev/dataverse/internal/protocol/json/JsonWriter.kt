package dev.dataverse.internal.protocol.json

import dev.dataverse.internal.protocol.RequestBody
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Writes UTF-8 text into one growing byte array, handed over as a request body without a copy ([toBody]): JSON through
 * [beginObject], [name], [value]..., which place commas and escape strings as kotlinx-serialization prints them (no
 * whitespace; `"`, `\` and control characters escaped, everything else written as it is), and plain text
 * ([ascii], [utf8], [bytes]) for the multipart framing of a `$batch`.
 *
 * A payload is written from the caller's values straight to bytes: no tree, no String of the document.
 */
internal class JsonWriter(capacity: Int = DEFAULT_CAPACITY) {
    private var buffer = ByteArray(capacity)

    /** Bytes written so far. */
    var size: Int = 0
        private set

    /** Whether the next value or member needs a comma before it; one flag per open object or array. */
    private var comma = false
    private var commas = BooleanArray(INITIAL_DEPTH)
    private var depth = 0

    fun beginObject(): JsonWriter = open('{')

    fun endObject(): JsonWriter = close('}')

    fun beginArray(): JsonWriter = open('[')

    fun endArray(): JsonWriter = close(']')

    /** The name of the next member; its value follows. */
    fun name(name: String): JsonWriter {
        if (comma) byte(','.code)
        string(name)
        byte(':'.code)
        comma = false
        return this
    }

    fun value(value: String?): JsonWriter {
        if (value == null) return nullValue()
        separate()
        string(value)
        return this
    }

    fun value(value: Boolean): JsonWriter {
        separate()
        ascii(if (value) "true" else "false")
        return this
    }

    fun value(value: Long): JsonWriter {
        separate()
        ascii(value.toString())
        return this
    }

    /** A number whose text is already JSON (`Double.toString()`, `BigDecimal.toString()`, a server's literal). */
    fun number(text: String): JsonWriter {
        separate()
        ascii(text)
        return this
    }

    fun nullValue(): JsonWriter {
        separate()
        ascii("null")
        return this
    }

    /** A kotlinx-serialization tree, written as it prints itself. */
    fun value(element: JsonElement): JsonWriter {
        when (element) {
            is JsonNull -> nullValue()
            is JsonPrimitive -> if (element.isString) value(element.content) else number(element.content)
            is JsonObject -> {
                beginObject()
                for ((key, member) in element) name(key).value(member)
                endObject()
            }
            is JsonArray -> {
                beginArray()
                for (item in element) value(item)
                endArray()
            }
        }
        return this
    }

    /** Writes [text], which must be ASCII (framing, numbers, names known to be ASCII), one byte per character. */
    fun ascii(text: String): JsonWriter {
        val length = text.length
        ensure(length)
        for (index in 0 until length) buffer[size + index] = text[index].code.toByte()
        size += length
        return this
    }

    /** Writes [text] in UTF-8, as it is (no JSON escaping); a lone surrogate becomes '?', as `String.toByteArray` does. */
    fun utf8(text: String): JsonWriter {
        ensure(text.length)
        var index = 0
        while (index < text.length) {
            val char = text[index]
            if (char.code < 0x80) byte(char.code) else index = encode(text, index)
            index++
        }
        return this
    }

    /** Writes [length] bytes of [source] from [offset] as they are: an encoded document, or part of one. */
    fun bytes(source: ByteArray, offset: Int = 0, length: Int = source.size): JsonWriter {
        ensure(length)
        System.arraycopy(source, offset, buffer, size, length)
        size += length
        return this
    }

    /** What was written, as a request body of [contentType]: the writer's own array, not a copy. */
    fun toBody(contentType: String = RequestBody.JSON): RequestBody.Bytes = RequestBody.Bytes(buffer, size, contentType)

    /** What was written, as a copy. */
    fun toByteArray(): ByteArray = buffer.copyOf(size)

    /** What was written, as text (tests and logs). */
    fun text(): String = String(buffer, 0, size, Charsets.UTF_8)

    /** The byte at [index] of what was written. */
    operator fun get(index: Int): Byte {
        require(index in 0 until size) { "index $index is outside the $size bytes written" }
        return buffer[index]
    }

    private fun open(bracket: Char): JsonWriter {
        separate()
        if (depth == commas.size) commas = commas.copyOf(depth * 2)
        commas[depth++] = true
        comma = false
        byte(bracket.code)
        return this
    }

    private fun close(bracket: Char): JsonWriter {
        check(depth > 0) { "close without open" }
        depth--
        comma = commas[depth]
        byte(bracket.code)
        return this
    }

    private fun separate() {
        if (comma) byte(','.code)
        comma = true
    }

    private fun string(text: String) {
        val length = text.length
        ensure(length + 2)
        buffer[size++] = '"'.code.toByte()
        var index = 0
        while (index < length) {
            val char = text[index]
            val code = char.code
            when {
                code >= 0x80 -> index = encode(text, index)
                code < 0x20 || code == '"'.code || code == '\\'.code -> escape(code)
                else -> {
                    if (size == buffer.size) grow(1)
                    buffer[size++] = code.toByte()
                }
            }
            index++
        }
        byte('"'.code)
    }

    private fun escape(code: Int) {
        when (code) {
            '"'.code -> ascii("\\\"")
            '\\'.code -> ascii("\\\\")
            '\n'.code -> ascii("\\n")
            '\r'.code -> ascii("\\r")
            '\t'.code -> ascii("\\t")
            '\b'.code -> ascii("\\b")
            0x0C -> ascii("\\f")
            else -> {
                ascii("\\u00")
                byte(HEX[code shr 4].code)
                byte(HEX[code and 0xF].code)
            }
        }
    }

    /** Encodes the non-ASCII character at [index] of [text] in UTF-8; returns the index of its last char. */
    private fun encode(text: String, index: Int): Int {
        val char = text[index]
        val code = char.code
        ensure(4)
        when {
            code < 0x800 -> {
                buffer[size++] = (0xC0 or (code shr 6)).toByte()
                buffer[size++] = (0x80 or (code and 0x3F)).toByte()
            }
            Character.isHighSurrogate(char) && index + 1 < text.length && Character.isLowSurrogate(text[index + 1]) -> {
                val point = Character.toCodePoint(char, text[index + 1])
                buffer[size++] = (0xF0 or (point shr 18)).toByte()
                buffer[size++] = (0x80 or ((point shr 12) and 0x3F)).toByte()
                buffer[size++] = (0x80 or ((point shr 6) and 0x3F)).toByte()
                buffer[size++] = (0x80 or (point and 0x3F)).toByte()
                return index + 1
            }
            Character.isSurrogate(char) -> buffer[size++] = '?'.code.toByte()
            else -> {
                buffer[size++] = (0xE0 or (code shr 12)).toByte()
                buffer[size++] = (0x80 or ((code shr 6) and 0x3F)).toByte()
                buffer[size++] = (0x80 or (code and 0x3F)).toByte()
            }
        }
        return index
    }

    private fun byte(value: Int) {
        if (size == buffer.size) grow(1)
        buffer[size++] = value.toByte()
    }

    private fun ensure(extra: Int) {
        if (buffer.size - size < extra) grow(extra)
    }

    private fun grow(extra: Int) {
        val needed = size.toLong() + extra
        check(needed <= MAX_SIZE) { "A request body cannot exceed $MAX_SIZE bytes" }
        buffer = buffer.copyOf(maxOf(needed, minOf(MAX_SIZE.toLong(), buffer.size * 2L)).toInt())
    }

    private companion object {
        const val DEFAULT_CAPACITY = 256
        const val INITIAL_DEPTH = 8
        const val MAX_SIZE = Int.MAX_VALUE - 8
        const val HEX = "0123456789abcdef"
    }
}
