package dev.dataverse.jackson.internal

/**
 * The few streaming calls the serializers need, over either Jackson: Jackson 2 (`com.fasterxml.jackson`) and Jackson 3
 * (`tools.jackson`) have the same model under different names, so the formats are written once, in [DataverseFormats],
 * and each Jackson adapts its generator and parser to these.
 */
internal interface JsonOut {
    fun startObject()
    fun endObject()
    fun startArray()
    fun endArray()
    fun name(name: String)
    fun string(value: String)

    /** A number written as its exact JSON text, e.g. `1000.50` or `1.5E-7`. */
    fun number(literal: String)
    fun bool(value: Boolean)
    fun nul()
}

/** The tokens of JSON, as both Jacksons name them (their `FIELD_NAME`/`PROPERTY_NAME` is [NAME]). */
internal enum class Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL, OTHER }

/** A parser positioned on a token. */
internal interface JsonIn {
    /** The current token; null at the end of input. */
    val token: Token?

    /** Moves to the next token and returns it. */
    fun next(): Token?

    /** The current property name, string value, or a number's text as written. */
    val text: String

    /** Fails the deserialization, naming [message], the way the Jackson in use reports bad input. */
    fun fail(message: String): Nothing
}
