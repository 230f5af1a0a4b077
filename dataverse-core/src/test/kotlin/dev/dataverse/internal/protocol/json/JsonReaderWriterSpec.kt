package dev.dataverse.internal.protocol.json

import dev.dataverse.internal.protocol.Body
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The client's byte-level JSON reader and writer agree with kotlinx-serialization (RFC 8259) on every document: what
 * one writes the other reads back as the same tree, escapes and non-ASCII text included, and invalid documents are
 * refused, never half-read.
 */
class JsonReaderWriterSpec : FunSpec({
    fun read(text: String): JsonElement {
        val bytes = text.encodeToByteArray()
        val reader = JsonReader(bytes)
        return reader.nextElement().also { reader.endDocument() }
    }

    fun write(element: JsonElement): String = JsonWriter().value(element).text()

    test("documents read as kotlinx-serialization reads them, escapes and non-ASCII text included") {
        val documents = listOf(
            """{"name":"Contoso","revenue":5000000,"@odata.etag":"W/\"12345\"","parentaccountid":null,"x":[1,-2.5e3,true,false]}""",
            """{"s":"\"\\\/\b\f\n\r\t\u00e9\u4e2d\ud83d\ude00","e":"é中😀"}""",
            """  [ {} , [] , "" , 0 , -0 , 1E+2 , 1e-2 , 12345678901234567890 ]  """,
            """{"nested":{"a":{"b":{"c":[[[]]]}}}}""",
        )
        for (document in documents) read(document) shouldBe Json.parseToJsonElement(document)
    }

    test("what the writer writes, kotlinx-serialization and the reader read back as the same tree") {
        checkAll(300, trees) { tree ->
            val text = write(tree)
            Json.parseToJsonElement(text) shouldBe tree
            read(text) shouldBe tree
        }
    }

    test("every string, lone surrogates aside, round-trips through the writer and the reader") {
        checkAll(500, Arb.string(0..40)) { text ->
            val element = JsonPrimitive(text)
            val written = write(element)
            read(written) shouldBe Json.parseToJsonElement(written)
            if (text.none { it.isSurrogate() }) read(written) shouldBe element
        }
    }

    test("invalid documents are refused") {
        val invalid = listOf(
            "", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'a'", "[1 2]", "01", "1.", "-", "1e", "+1", "\"\\x\"",
            "\"\\u12\"", "tru", "nul", "[1]]", "{} {}", "\"a", "NaN", "[.5]",
        )
        // A raw control character inside a string is read, as kotlinx-serialization reads it (RFC 8259 wants it escaped).
        read("\"a\u0001\"") shouldBe Json.parseToJsonElement("\"a\u0001\"")
        for (document in invalid) {
            shouldThrow<JsonSyntaxException> { read(document) }
        }
    }

    test("nesting deeper than the limit is refused without exhausting the stack") {
        val deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1)
        shouldThrow<JsonSyntaxException> { read(deep) }
        shouldThrow<JsonSyntaxException> { JsonReader(deep.encodeToByteArray()).skipValue() }
        val allowed = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH)
        read(allowed).toString() shouldBe Json.parseToJsonElement(allowed).toString()
    }

    test("a string is decoded to bytes where it lies, as the search answer's escaped document needs") {
        val inner = """{"Value":[{"Id":"1"}],"Count":1,"e":"é\n"}"""
        val outer = JsonWriter().beginObject().name("response").value(inner).endObject().text()
        val reader = JsonReader(outer.encodeToByteArray())
        reader.beginObject()
        reader.nextName() shouldBe "response"
        val body: Body = reader.nextStringBytes()
        body.text() shouldBe inner
        reader.endObject()
        reader.endDocument()
    }

    test("the offsets of a large array grow in blocks and find every item") {
        val count = 100_000
        val text = (0 until count).joinToString(",", "[", "]") { "{\"i\":$it}" }
        val bytes = text.encodeToByteArray()
        val reader = JsonReader(bytes)
        val offsets = DecodedList.Offsets()
        reader.beginArray()
        while (reader.hasNext()) {
            offsets.add(reader.position)
            reader.skipValue()
        }
        reader.endArray()
        val items = offsets.list(bytes, bytes.size) { it.nextObject() }
        items.size shouldBe count
        for (i in listOf(0, 1, 15, 16, 17, 16_383, 16_384, 16_385, 65_536, count - 1)) {
            items[i] shouldBe JsonObject(mapOf("i" to JsonPrimitive(i)))
        }
        shouldThrow<IndexOutOfBoundsException> { items[count] }
    }
})

private const val TEXT = "aZ09 \"\\/\b\u000c\n\r\t\u0000\u001f\u007féß中😀"

private fun text(random: kotlin.random.Random, max: Int): String =
    buildString { repeat(random.nextInt(max + 1)) { append(TEXT.codePoints().toArray().let { points -> Character.toString(points[random.nextInt(points.size)]) }) } }

private fun leaf(random: kotlin.random.Random): JsonElement = when (random.nextInt(6)) {
    0 -> JsonNull
    1 -> JsonPrimitive(random.nextBoolean())
    2 -> JsonPrimitive(random.nextLong())
    3 -> JsonPrimitive(random.nextInt(-1000, 1000))
    4 -> JsonPrimitive(random.nextDouble(-1e12, 1e12))
    else -> JsonPrimitive(text(random, 12))
}

private val trees: Arb<JsonElement> = arbitrary { rs ->
    fun tree(depth: Int): JsonElement = when (if (depth > 3) 0 else rs.random.nextInt(3)) {
        0 -> leaf(rs.random)
        1 -> JsonArray(List(rs.random.nextInt(4)) { tree(depth + 1) })
        else -> JsonObject(List(rs.random.nextInt(4)) { "k$it" + text(rs.random, 5) to tree(depth + 1) }.toMap())
    }
    tree(0)
}
