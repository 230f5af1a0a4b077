package dev.dataverse.internal.protocol.json

import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.Body
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Reading whole response documents with [JsonReader], and the shape errors every decoder reports alike. */
internal object JsonDocuments {
    /**
     * Runs [block] on a reader of [body] and checks that the document ends there; invalid JSON becomes a
     * [MalformedResponseException] naming [what] ("The record response is not valid JSON: ...").
     */
    inline fun <T> read(body: Body, what: String, block: (JsonReader) -> T): T {
        val reader = JsonReader(body.bytes, body.from, body.to)
        return try {
            block(reader).also { reader.endDocument() }
        } catch (e: JsonSyntaxException) {
            throw MalformedResponseException("The $what response is not valid JSON: ${e.message}.", e)
        }
    }

    /** The document as a JSON object (a record, a message's answer: documents the caller keeps whole). */
    fun obj(body: Body, what: String): JsonObject = read(body, what) { reader ->
        if (reader.peek() != JsonReader.Kind.OBJECT) throw notAnObject(what)
        reader.nextObject()
    }

    /** The document as a tree, or `null` when it is not valid JSON (error bodies, which may be HTML). */
    fun elementOrNull(body: Body): JsonElement? = try {
        val reader = JsonReader(body.bytes, body.from, body.to)
        reader.nextElement().also { reader.endDocument() }
    } catch (e: JsonSyntaxException) {
        null
    }

    fun notAnObject(what: String): MalformedResponseException = MalformedResponseException("The $what response is not a JSON object.")

    /**
     * The value of a member read as a tree and then as a string, as `JsonObject[name] as? JsonPrimitive` with
     * `isString` would: `null` for anything else. For the few small members a decoder keeps.
     */
    fun stringOrNull(element: JsonElement?): String? = (element as? JsonPrimitive)?.takeIf { it.isString }?.content

    /**
     * The start of a JSON document written again compactly, its escapes undone as kotlinx-serialization prints a tree:
     * at most about [maxBytes] bytes, read without building the document's tree; `null` when [body] is not valid JSON
     * up to that point. For messages about bodies that carry no error text of their own.
     */
    fun compactPrefix(body: Body, maxBytes: Int): String? {
        val writer = JsonWriter(minOf(body.size, maxBytes) + 16)
        val reader = JsonReader(body.bytes, body.from, body.to)
        return try {
            copy(reader, writer, maxBytes)
            reader.endDocument()
            writer.text()
        } catch (e: PrefixFull) {
            writer.text()
        } catch (e: JsonSyntaxException) {
            null
        }
    }

    private fun copy(reader: JsonReader, writer: JsonWriter, maxBytes: Int) {
        if (writer.size > maxBytes) throw PrefixFull()
        when (reader.peek()) {
            JsonReader.Kind.OBJECT -> {
                reader.beginObject()
                writer.beginObject()
                while (reader.hasNext()) {
                    writer.name(reader.nextName())
                    copy(reader, writer, maxBytes)
                }
                reader.endObject()
                writer.endObject()
            }
            JsonReader.Kind.ARRAY -> {
                reader.beginArray()
                writer.beginArray()
                while (reader.hasNext()) copy(reader, writer, maxBytes)
                reader.endArray()
                writer.endArray()
            }
            JsonReader.Kind.STRING -> writer.value(reader.nextString())
            JsonReader.Kind.NUMBER -> writer.number(reader.nextNumber())
            JsonReader.Kind.BOOLEAN -> writer.value(reader.nextBoolean())
            JsonReader.Kind.NULL -> reader.nextNull().also { writer.nullValue() }
            JsonReader.Kind.END -> throw JsonSyntaxException("The document ends where a value was expected", 0)
        }
    }

    private class PrefixFull : RuntimeException(null, null, false, false)
}
