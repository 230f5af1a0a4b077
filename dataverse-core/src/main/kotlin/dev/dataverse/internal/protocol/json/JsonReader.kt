package dev.dataverse.internal.protocol.json

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.JsonUnquotedLiteral

/** JSON that does not follow RFC 8259, found at [position] (an offset into the bytes read). */
internal class JsonSyntaxException(message: String, val position: Int) : RuntimeException(message)

/**
 * A pull reader of UTF-8 JSON (RFC 8259) straight from bytes: a response body is read where it lies, without a String
 * of it and without a tree of the whole document. Callers walk the document ([beginObject], [hasNext], [nextName],
 * [beginArray]...), build a tree of just the value they need ([nextElement]), or step over a value ([skipValue]), which
 * still checks it: a document is either read whole and valid, or refused with [JsonSyntaxException].
 *
 * Reads [to] - [from] bytes of [bytes] from [from]. Not thread-safe; cheap to create, so one is made per value read.
 *
 * ## Conventions
 * Inside an object or array, call [hasNext] before each member or element: it consumes the separating comma and says
 * whether one follows; [endObject]/[endArray] once it says no. A member is [nextName] then its value. Strings are
 * decoded from UTF-8 as `String(bytes, UTF_8)` does (a malformed sequence becomes U+FFFD); escapes as RFC 8259 defines
 * them. Numbers keep the text the server wrote (`JsonPrimitive.content`), as kotlinx-serialization's own parser does.
 * Nesting deeper than [MAX_DEPTH] is refused, so that a hostile document cannot exhaust the stack.
 */
internal class JsonReader(private val bytes: ByteArray, from: Int = 0, private val to: Int = bytes.size) {
    /** The offset of the next byte to read. */
    var position: Int = from
        private set

    private var scopes = IntArray(INITIAL_DEPTH)
    private var depth = 0

    init {
        require(from in 0..to && to <= bytes.size) { "range $from..$to is outside the array of ${bytes.size} bytes" }
    }

    /** The kind of the next value, after whitespace; [Kind.END] at the end of the input. */
    fun peek(): Kind {
        skipWhitespace()
        if (position >= to) return Kind.END
        return when (bytes[position].toInt()) {
            '{'.code -> Kind.OBJECT
            '['.code -> Kind.ARRAY
            '"'.code -> Kind.STRING
            't'.code, 'f'.code -> Kind.BOOLEAN
            'n'.code -> Kind.NULL
            '-'.code, in DIGITS -> Kind.NUMBER
            else -> fail("Unexpected character ${describe(position)}")
        }
    }

    fun beginObject() {
        expectValueStart('{', "an object")
        position++
        push(OBJECT_FIRST)
    }

    fun endObject() {
        skipWhitespace()
        if (depth == 0 || scopes[depth - 1] !in OBJECT_FIRST..OBJECT_NEXT || position >= to || bytes[position] != '}'.code.toByte()) {
            fail("Expected '}' ${describe(position)}")
        }
        position++
        depth--
    }

    fun beginArray() {
        expectValueStart('[', "an array")
        position++
        push(ARRAY_FIRST)
    }

    fun endArray() {
        skipWhitespace()
        if (depth == 0 || scopes[depth - 1] !in ARRAY_FIRST..ARRAY_NEXT || position >= to || bytes[position] != ']'.code.toByte()) {
            fail("Expected ']' ${describe(position)}")
        }
        position++
        depth--
    }

    /** Whether another member (in an object) or element (in an array) follows; consumes the comma before it. */
    fun hasNext(): Boolean {
        skipWhitespace()
        if (depth == 0) fail("hasNext outside an object or array")
        if (position >= to) fail("The document ends inside an ${if (scopes[depth - 1] <= OBJECT_NEXT) "object" else "array"}")
        val byte = bytes[position].toInt()
        return when (scopes[depth - 1]) {
            OBJECT_FIRST -> if (byte == '}'.code) false else true.also { scopes[depth - 1] = OBJECT_NEXT }
            OBJECT_NEXT -> if (byte == '}'.code) false else separator(',')
            ARRAY_FIRST -> if (byte == ']'.code) false else true.also { scopes[depth - 1] = ARRAY_NEXT }
            else -> if (byte == ']'.code) false else separator(',')
        }
    }

    /** The name of the next member of an object, and the colon after it. */
    fun nextName(): String {
        skipWhitespace()
        if (position >= to || bytes[position] != '"'.code.toByte()) fail("Expected a member name ${describe(position)}")
        val name = readString()
        skipWhitespace()
        if (position >= to || bytes[position] != ':'.code.toByte()) fail("Expected ':' ${describe(position)}")
        position++
        return name
    }

    /** A string value. */
    fun nextString(): String {
        expectValueStart('"', "a string")
        return readString()
    }

    /**
     * A string value as UTF-8 bytes, without a String of it: the bytes as they lie when the string has no escapes, else
     * a decoded copy. For a document carried inside a string (the search endpoint's `response`).
     */
    fun nextStringBytes(): dev.dataverse.internal.protocol.Body {
        expectValueStart('"', "a string")
        val start = position + 1
        var index = start
        while (true) {
            if (index >= to) fail("The document ends inside a string")
            when (bytes[index].toInt()) {
                '"'.code -> {
                    position = index + 1
                    return dev.dataverse.internal.protocol.Body(bytes, start, index)
                }
                '\\'.code -> return unescapeToBytes(start, index)
            }
            index++
        }
    }

    /**
     * The slow path of [nextStringBytes]: the string holds escapes. Escapes only ever shorten the text (`\n` is one byte,
     * `\uXXXX` at most three), so the decoded bytes go into one array as long as the escaped text: no growing, no copy.
     */
    private fun unescapeToBytes(start: Int, escape: Int): dev.dataverse.internal.protocol.Body {
        position = start - 1
        skipString()
        val end = position - 1
        val out = Utf8Out(ByteArray(end - start))
        out.copy(bytes, start, escape - start)
        var index = escape
        var pendingHigh = -1
        while (index < end) {
            val byte = bytes[index].toInt()
            if (byte != '\\'.code) {
                if (pendingHigh >= 0) out.char(pendingHigh).also { pendingHigh = -1 }
                out.byte(byte)
                index++
                continue
            }
            val escaped = bytes[index + 1].toInt()
            if (escaped != 'u'.code && pendingHigh >= 0) out.char(pendingHigh).also { pendingHigh = -1 }
            when (escaped) {
                'b'.code -> out.byte('\b'.code)
                'f'.code -> out.byte(0x0C)
                'n'.code -> out.byte('\n'.code)
                'r'.code -> out.byte('\r'.code)
                't'.code -> out.byte('\t'.code)
                'u'.code -> {
                    val char = hex4(index + 2)
                    when {
                        pendingHigh >= 0 && Character.isLowSurrogate(char) -> {
                            out.codePoint(Character.toCodePoint(pendingHigh.toChar(), char))
                            pendingHigh = -1
                        }
                        Character.isHighSurrogate(char) -> {
                            if (pendingHigh >= 0) out.char(pendingHigh)
                            pendingHigh = char.code
                        }
                        else -> {
                            if (pendingHigh >= 0) out.char(pendingHigh)
                            pendingHigh = -1
                            out.char(char.code)
                        }
                    }
                    index += 4
                }
                else -> out.byte(escaped) // '"', '\\' or '/', as skipString checked
            }
            index += 2
        }
        if (pendingHigh >= 0) out.char(pendingHigh)
        return dev.dataverse.internal.protocol.Body(out.bytes, 0, out.size)
    }

    /** UTF-8 into an array known to be large enough. */
    private class Utf8Out(val bytes: ByteArray) {
        var size = 0

        fun copy(source: ByteArray, offset: Int, length: Int) {
            System.arraycopy(source, offset, bytes, size, length)
            size += length
        }

        fun byte(value: Int) {
            bytes[size++] = value.toByte()
        }

        /** A UTF-16 unit; a lone surrogate becomes '?', as `String.toByteArray` writes it. */
        fun char(code: Int) {
            when {
                code < 0x80 -> byte(code)
                code < 0x800 -> {
                    byte(0xC0 or (code shr 6))
                    byte(0x80 or (code and 0x3F))
                }
                code in 0xD800..0xDFFF -> byte('?'.code)
                else -> {
                    byte(0xE0 or (code shr 12))
                    byte(0x80 or ((code shr 6) and 0x3F))
                    byte(0x80 or (code and 0x3F))
                }
            }
        }

        fun codePoint(point: Int) {
            byte(0xF0 or (point shr 18))
            byte(0x80 or ((point shr 12) and 0x3F))
            byte(0x80 or ((point shr 6) and 0x3F))
            byte(0x80 or (point and 0x3F))
        }
    }

    /** A string value, or `null` for a JSON `null`; any other value is refused. */
    fun nextStringOrNull(): String? = if (peek() == Kind.NULL) nextNull().let { null } else nextString()

    fun nextBoolean(): Boolean = when (peek()) {
        Kind.BOOLEAN -> if (bytes[position] == 't'.code.toByte()) literal(TRUE_BYTES).let { true } else literal(FALSE_BYTES).let { false }
        else -> fail("Expected a boolean ${describe(position)}")
    }

    fun nextNull() {
        if (peek() != Kind.NULL) fail("Expected null ${describe(position)}")
        literal(NULL_BYTES)
    }

    /** A number value as the text the server wrote. */
    fun nextNumber(): String {
        if (peek() != Kind.NUMBER) fail("Expected a number ${describe(position)}")
        val start = position
        readNumber()
        return String(bytes, start, position - start, Charsets.ISO_8859_1)
    }

    /** The next value as a tree, however large: for the values callers keep (a record, an error). */
    fun nextElement(): JsonElement = element(depth)

    /** The next value as an object; anything else is refused with [JsonSyntaxException] naming [what]. */
    fun nextObject(what: String = "an object"): JsonObject {
        if (peek() != Kind.OBJECT) fail("Expected $what ${describe(position)}")
        return element(depth) as JsonObject
    }

    /** Steps over the next value, checking that it is valid JSON; returns the offset it started at. */
    fun skipValue(): Int {
        skipWhitespace()
        val start = position
        skip(depth)
        return start
    }

    /** Checks that nothing but whitespace follows the document. */
    fun endDocument() {
        skipWhitespace()
        if (position < to) fail("Unexpected content after the document ${describe(position)}")
    }

    enum class Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL, END }

    private fun separator(expected: Char): Boolean {
        if (bytes[position] != expected.code.toByte()) fail("Expected '$expected' ${describe(position)}")
        position++
        return true
    }

    private fun expectValueStart(expected: Char, what: String) {
        skipWhitespace()
        if (position >= to || bytes[position] != expected.code.toByte()) fail("Expected $what ${describe(position)}")
    }

    private fun push(scope: Int) {
        if (depth >= MAX_DEPTH) fail("The document nests deeper than $MAX_DEPTH levels")
        if (depth == scopes.size) scopes = scopes.copyOf(scopes.size * 2)
        scopes[depth++] = scope
    }

    private fun element(level: Int): JsonElement {
        skipWhitespace()
        if (position >= to) fail("The document ends where a value was expected")
        return when (bytes[position].toInt()) {
            '{'.code -> {
                checkDepth(level)
                position++
                val members = LinkedHashMap<String, JsonElement>()
                skipWhitespace()
                if (position < to && bytes[position] == '}'.code.toByte()) {
                    position++
                    return JsonObject(members)
                }
                while (true) {
                    val name = nextName()
                    members[name] = element(level + 1)
                    skipWhitespace()
                    if (position >= to) fail("The document ends inside an object")
                    when (bytes[position].toInt()) {
                        ','.code -> position++
                        '}'.code -> {
                            position++
                            return JsonObject(members)
                        }
                        else -> fail("Expected ',' or '}' ${describe(position)}")
                    }
                }
                @Suppress("UNREACHABLE_CODE")
                error("unreachable")
            }
            '['.code -> {
                checkDepth(level)
                position++
                val items = ArrayList<JsonElement>()
                skipWhitespace()
                if (position < to && bytes[position] == ']'.code.toByte()) {
                    position++
                    return JsonArray(items)
                }
                while (true) {
                    items += element(level + 1)
                    skipWhitespace()
                    if (position >= to) fail("The document ends inside an array")
                    when (bytes[position].toInt()) {
                        ','.code -> position++
                        ']'.code -> {
                            position++
                            return JsonArray(items)
                        }
                        else -> fail("Expected ',' or ']' ${describe(position)}")
                    }
                }
                @Suppress("UNREACHABLE_CODE")
                error("unreachable")
            }
            '"'.code -> JsonPrimitive(readString())
            't'.code -> literal(TRUE_BYTES).let { TRUE }
            'f'.code -> literal(FALSE_BYTES).let { FALSE }
            'n'.code -> literal(NULL_BYTES).let { JsonNull }
            '-'.code, in DIGITS -> {
                val start = position
                readNumber()
                number(String(bytes, start, position - start, Charsets.ISO_8859_1))
            }
            else -> fail("Unexpected character ${describe(position)}")
        }
    }

    private fun skip(level: Int) {
        skipWhitespace()
        if (position >= to) fail("The document ends where a value was expected")
        when (bytes[position].toInt()) {
            '{'.code -> {
                checkDepth(level)
                position++
                skipWhitespace()
                if (position < to && bytes[position] == '}'.code.toByte()) {
                    position++
                    return
                }
                while (true) {
                    skipWhitespace()
                    if (position >= to || bytes[position] != '"'.code.toByte()) fail("Expected a member name ${describe(position)}")
                    skipString()
                    skipWhitespace()
                    if (position >= to || bytes[position] != ':'.code.toByte()) fail("Expected ':' ${describe(position)}")
                    position++
                    skip(level + 1)
                    skipWhitespace()
                    if (position >= to) fail("The document ends inside an object")
                    when (bytes[position].toInt()) {
                        ','.code -> position++
                        '}'.code -> {
                            position++
                            return
                        }
                        else -> fail("Expected ',' or '}' ${describe(position)}")
                    }
                }
            }
            '['.code -> {
                checkDepth(level)
                position++
                skipWhitespace()
                if (position < to && bytes[position] == ']'.code.toByte()) {
                    position++
                    return
                }
                while (true) {
                    skip(level + 1)
                    skipWhitespace()
                    if (position >= to) fail("The document ends inside an array")
                    when (bytes[position].toInt()) {
                        ','.code -> position++
                        ']'.code -> {
                            position++
                            return
                        }
                        else -> fail("Expected ',' or ']' ${describe(position)}")
                    }
                }
            }
            '"'.code -> skipString()
            't'.code -> literal(TRUE_BYTES)
            'f'.code -> literal(FALSE_BYTES)
            'n'.code -> literal(NULL_BYTES)
            '-'.code, in DIGITS -> readNumber()
            else -> fail("Unexpected character ${describe(position)}")
        }
    }

    private fun checkDepth(level: Int) {
        if (level >= MAX_DEPTH) fail("The document nests deeper than $MAX_DEPTH levels")
    }

    /** Reads the string that starts at [position] (its opening quote) and leaves [position] after its closing quote. */
    private fun readString(): String {
        val start = position + 1
        var index = start
        var ascii = true
        while (true) {
            if (index >= to) fail("The document ends inside a string")
            val byte = bytes[index].toInt()
            when {
                byte == '"'.code -> {
                    position = index + 1
                    val length = index - start
                    return if (ascii) String(bytes, start, length, Charsets.ISO_8859_1) else String(bytes, start, length, Charsets.UTF_8)
                }
                byte == '\\'.code -> return readEscapedString(start, index)
                byte < 0 -> ascii = false
            }
            index++
        }
    }

    /** The slow path of [readString]: the string holds escapes, the first at [escape]. */
    private fun readEscapedString(start: Int, escape: Int): String {
        val text = StringBuilder(escape - start + 16)
        var segment = start
        var index = escape
        while (true) {
            if (index >= to) fail("The document ends inside a string")
            when (bytes[index].toInt()) {
                '"'.code -> {
                    text.append(String(bytes, segment, index - segment, Charsets.UTF_8))
                    position = index + 1
                    return text.toString()
                }
                '\\'.code -> {
                    text.append(String(bytes, segment, index - segment, Charsets.UTF_8))
                    if (index + 1 >= to) fail("The document ends inside a string")
                    when (bytes[index + 1].toInt()) {
                        '"'.code -> text.append('"')
                        '\\'.code -> text.append('\\')
                        '/'.code -> text.append('/')
                        'b'.code -> text.append('\b')
                        'f'.code -> text.append('\u000C')
                        'n'.code -> text.append('\n')
                        'r'.code -> text.append('\r')
                        't'.code -> text.append('\t')
                        'u'.code -> {
                            text.append(hex4(index + 2))
                            index += 4
                        }
                        else -> fail("Invalid escape ${describe(index)}")
                    }
                    index += 2
                    segment = index
                    continue
                }
            }
            index++
        }
    }

    private fun skipString() {
        var index = position + 1
        while (true) {
            if (index >= to) fail("The document ends inside a string")
            when (bytes[index].toInt()) {
                '"'.code -> {
                    position = index + 1
                    return
                }
                '\\'.code -> {
                    if (index + 1 >= to) fail("The document ends inside a string")
                    when (bytes[index + 1].toInt()) {
                        '"'.code, '\\'.code, '/'.code, 'b'.code, 'f'.code, 'n'.code, 'r'.code, 't'.code -> index += 2
                        'u'.code -> {
                            hex4(index + 2)
                            index += 6
                        }
                        else -> fail("Invalid escape ${describe(index)}")
                    }
                }
                else -> index++
            }
        }
    }

    private fun hex4(at: Int): Char {
        if (at + 4 > to) fail("The document ends inside a \\u escape")
        var value = 0
        for (index in at until at + 4) {
            val digit = Character.digit(bytes[index].toInt(), 16)
            if (digit < 0) fail("Invalid \\u escape ${describe(at - 2)}")
            value = value * 16 + digit
        }
        return value.toChar()
    }

    /** Reads a number (RFC 8259 grammar: `-? int frac? exp?`) from [position]. */
    private fun readNumber() {
        var index = position
        if (index < to && bytes[index] == '-'.code.toByte()) index++
        if (index >= to) fail("The document ends inside a number")
        when (bytes[index].toInt()) {
            '0'.code -> index++
            in ONE_TO_NINE -> while (index < to && bytes[index].toInt() in DIGITS) index++
            else -> fail("Invalid number ${describe(position)}")
        }
        if (index < to && bytes[index] == '.'.code.toByte()) {
            index++
            val digits = index
            while (index < to && bytes[index].toInt() in DIGITS) index++
            if (index == digits) fail("Invalid number ${describe(position)}")
        }
        if (index < to && (bytes[index] == 'e'.code.toByte() || bytes[index] == 'E'.code.toByte())) {
            index++
            if (index < to && (bytes[index] == '+'.code.toByte() || bytes[index] == '-'.code.toByte())) index++
            val digits = index
            while (index < to && bytes[index].toInt() in DIGITS) index++
            if (index == digits) fail("Invalid number ${describe(position)}")
        }
        position = index
    }

    private fun literal(expected: ByteArray) {
        if (position + expected.size > to) fail("Invalid literal ${describe(position)}")
        for (offset in expected.indices) {
            if (bytes[position + offset] != expected[offset]) fail("Invalid literal ${describe(position)}")
        }
        position += expected.size
    }

    private fun skipWhitespace() {
        var index = position
        while (index < to) {
            val byte = bytes[index].toInt()
            if (byte != ' '.code && byte != '\n'.code && byte != '\r'.code && byte != '\t'.code) break
            index++
        }
        position = index
    }

    /**
     * "at offset n ('x')", for messages: one character, printable ASCII or its code. Never more of the body, which may
     * echo a credential that a cut excerpt would show in part, where redaction could no longer recognise it.
     */
    private fun describe(at: Int): String {
        if (at >= to) return "at the end of the document (offset $at)"
        val byte = bytes[at].toInt() and 0xFF
        return if (byte in 0x21..0x7E) "at offset $at ('${byte.toChar()}')" else "at offset $at (byte 0x%02x)".format(byte)
    }

    private fun fail(message: String): Nothing = throw JsonSyntaxException(message, position)

    companion object {
        /** The deepest nesting accepted; Dataverse documents nest a few levels (an `$expand` in an `$expand`). */
        const val MAX_DEPTH: Int = 512

        private const val INITIAL_DEPTH = 8
        private const val OBJECT_FIRST = 0
        private const val OBJECT_NEXT = 1
        private const val ARRAY_FIRST = 2
        private const val ARRAY_NEXT = 3
        private val DIGITS = '0'.code..'9'.code
        private val ONE_TO_NINE = '1'.code..'9'.code
        private val TRUE_BYTES = "true".toByteArray(Charsets.US_ASCII)
        private val FALSE_BYTES = "false".toByteArray(Charsets.US_ASCII)
        private val NULL_BYTES = "null".toByteArray(Charsets.US_ASCII)
        private val TRUE = JsonPrimitive(true)
        private val FALSE = JsonPrimitive(false)

        /** A number as kotlinx-serialization's parser represents it: a literal that keeps its text, not a string. */
        @OptIn(ExperimentalSerializationApi::class)
        fun number(text: String): JsonPrimitive = JsonUnquotedLiteral(text)
    }
}
