package dev.dataverse.emulator.internal.json

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.work.HeapLimits
import dev.dataverse.emulator.internal.work.RequestMemory
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement

/**
 * Parses request bodies as JSON only when their tree fits the heap. A tree costs far more than its text when the text is
 * many small values: `[1,1,1,…]` is two bytes a value on the wire and about a hundred in memory, so a 30 MB body of
 * numbers would need gigabytes. One pass over the bytes (no allocation) counts the values; the tree's size is estimated
 * from that count and the text's length, refused with 413 RequestLengthTooLarge past [HeapLimits.maxTreeBytes], and
 * otherwise held in the request's [RequestMemory] until the request ends, so that many requests together stay within
 * the emulator's budget too. The same pass measures how deep arrays and objects nest, refused past [MAX_DEPTH] with 400,
 * because the code that walks a tree (writing it back out, comparing it) recurses. The service's own limits on JSON
 * bodies are not documented: these are the emulator's. Web API and admin API bodies both pass here.
 */
internal object BoundedJson {
    /** Estimated heap bytes of one JSON value in a kotlinx tree (the element, its content string, its slot). */
    private const val BYTES_PER_VALUE = 96L

    /** How deep arrays and objects may nest in a body: far past any record payload (deep inserts included), far short of the stack. */
    const val MAX_DEPTH: Int = 400

    /** The JSON of [body]; throws [kotlinx.serialization.SerializationException] (an [IllegalArgumentException]) when it is not JSON. */
    fun parse(body: ByteArray): JsonElement {
        val counter = Counter()
        for (byte in body) counter.next(byte.toInt())
        admit(counter, body.size.toLong())
        return Json.parseToJsonElement(body.toString(Charsets.UTF_8))
    }

    /** The JSON of [text], as [parse]. */
    fun parse(text: String): JsonElement {
        val counter = Counter()
        for (char in text) counter.next(char.code)
        admit(counter, text.length.toLong())
        return Json.parseToJsonElement(text)
    }

    private fun admit(counter: Counter, length: Long) {
        if (counter.maxDepth > MAX_DEPTH) {
            throw ApiException(400, ErrorCodes.QUERY_TOO_DEEP, "The request body's JSON is nested more than $MAX_DEPTH levels deep.")
        }
        hold(estimate(counter.values, length))
    }

    private fun estimate(values: Long, length: Long): Long = values * BYTES_PER_VALUE + 2 * length

    private fun hold(treeBytes: Long) {
        if (treeBytes > HeapLimits.maxTreeBytes) {
            throw ApiException(
                413, ErrorCodes.REQUEST_TOO_LARGE,
                "The request body holds too many JSON values for the emulator: their tree would take about ${treeBytes shr 20} MiB, " +
                    "more than the ${HeapLimits.maxTreeBytes shr 20} MiB one request may use of its ${HeapLimits.heapMebibytes} MiB heap.",
            )
        }
        RequestMemory.current()?.take(treeBytes)
    }

    /** An upper bound of the values in [body]: separators and openers outside strings, plus one. */
    fun countValues(body: ByteArray): Long {
        val counter = Counter()
        for (byte in body) counter.next(byte.toInt())
        return counter.values
    }

    fun countValues(text: String): Long {
        val counter = Counter()
        for (char in text) counter.next(char.code)
        return counter.values
    }

    /** Counts `,` `:` `[` `{` outside strings and the deepest nesting; UTF-8 continuation bytes are never structural. */
    private class Counter {
        var values = 1L
            private set
        var maxDepth = 0
            private set
        private var depth = 0
        private var inString = false
        private var escaped = false

        fun next(code: Int) {
            if (inString) {
                when {
                    escaped -> escaped = false
                    code == '\\'.code -> escaped = true
                    code == '"'.code -> inString = false
                }
                return
            }
            when (code) {
                '"'.code -> inString = true
                ','.code, ':'.code -> values++
                '['.code, '{'.code -> {
                    values++
                    if (++depth > maxDepth) maxDepth = depth
                }
                ']'.code, '}'.code -> depth--
            }
        }
    }
}
