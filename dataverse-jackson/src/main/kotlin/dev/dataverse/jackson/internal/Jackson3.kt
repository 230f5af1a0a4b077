package dev.dataverse.jackson.internal

import tools.jackson.core.JsonGenerator
import tools.jackson.core.JsonParser
import tools.jackson.core.JsonToken
import tools.jackson.databind.DeserializationContext

/** [JsonOut] and [JsonIn] over Jackson 3 (`tools.jackson`). Loaded only when Jackson 3 is. */
internal object Jackson3 {
    class Out(private val gen: JsonGenerator) : JsonOut {
        override fun startObject() { gen.writeStartObject() }
        override fun endObject() { gen.writeEndObject() }
        override fun startArray() { gen.writeStartArray() }
        override fun endArray() { gen.writeEndArray() }
        override fun name(name: String) { gen.writeName(name) }
        override fun string(value: String) { gen.writeString(value) }
        override fun number(literal: String) { gen.writeNumber(literal) }
        override fun bool(value: Boolean) { gen.writeBoolean(value) }
        override fun nul() { gen.writeNull() }
    }

    class In(private val parser: JsonParser, private val context: DeserializationContext, private val type: Class<*>) : JsonIn {
        override val token: Token? get() = map(parser.currentToken())

        override fun next(): Token? = map(parser.nextToken())

        override val text: String get() = parser.getString() ?: ""

        override fun fail(message: String): Nothing {
            context.reportInputMismatch<Any>(type, message)
            error(message) // reportInputMismatch always throws
        }

        private fun map(token: JsonToken?): Token? = when (token) {
            null -> null
            JsonToken.START_OBJECT -> Token.START_OBJECT
            JsonToken.END_OBJECT -> Token.END_OBJECT
            JsonToken.START_ARRAY -> Token.START_ARRAY
            JsonToken.END_ARRAY -> Token.END_ARRAY
            JsonToken.PROPERTY_NAME -> Token.NAME
            JsonToken.VALUE_STRING -> Token.STRING
            JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_NUMBER_FLOAT -> Token.NUMBER
            JsonToken.VALUE_TRUE -> Token.TRUE
            JsonToken.VALUE_FALSE -> Token.FALSE
            JsonToken.VALUE_NULL -> Token.NULL
            else -> Token.OTHER
        }
    }
}
