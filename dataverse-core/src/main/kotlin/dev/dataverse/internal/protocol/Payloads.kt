package dev.dataverse.internal.protocol

import dev.dataverse.BatchReference
import dev.dataverse.ChoiceLabel
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal
import java.math.BigInteger
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.UUID

/**
 * Turns callers' value maps into JSON request bodies. Every key is validated and every value converted by type; an
 * unsupported value fails with its column named, before anything is sent, rather than being sent as `toString()`.
 */
internal object Payloads {
    private val PROPERTY = Regex("[A-Za-z_][A-Za-z0-9_]{0,127}(@odata\\.bind)?|@odata\\.(type|id)")

    /** The tables that [EntityReference] values in [values] point to (nested maps included), for entity-set resolution. */
    fun referencedTables(values: Map<String, Any?>): Set<String> {
        val tables = LinkedHashSet<String>()
        fun visit(value: Any?) {
            when (value) {
                is EntityReference -> tables += value.table.lowercase()
                is Map<*, *> -> value.values.forEach(::visit)
                is Iterable<*> -> value.forEach(::visit)
            }
        }
        values.values.forEach(::visit)
        return tables
    }

    /**
     * Builds the JSON object for [values]. [entitySetOf] maps a referenced table's logical name to its entity set; it is
     * called only for tables listed by [referencedTables].
     */
    fun toJson(values: Map<String, Any?>, entitySetOf: (String) -> String): JsonObject =
        toJsonWithBindings(values) { reference ->
            (reference as? EntityReference)?.let { "/${entitySetOf(it.table.lowercase())}(${it.id})" }
        }

    /**
     * Builds the JSON object for [values]. [bindingOf] returns the `@odata.bind` value for a value that points at another
     * record ([EntityReference], or a reference to an earlier operation of a batch), and `null` for any other value.
     */
    fun toJsonWithBindings(values: Map<String, Any?>, bindingOf: (Any) -> String?): JsonObject =
        JsonObject(objectContent(values, "", bindingOf))

    private fun objectContent(values: Map<*, *>, path: String, bindingOf: (Any) -> String?): Map<String, JsonElement> {
        val content = LinkedHashMap<String, JsonElement>(values.size)
        for ((rawKey, value) in values) {
            val key = rawKey as? String
                ?: throw InvalidInputException("Column names must be strings, but got ${rawKey?.javaClass?.name} in $path.")
            if (!PROPERTY.matches(key)) {
                throw InvalidInputException("Invalid column name ${Identifiers.quote(path + key)}: expected a logical name such as 'name'.")
            }
            if (key.contains('@') && (value is EntityReference || value is BatchReference)) {
                throw InvalidInputException("Column '$path$key': pass a record reference under the navigation property's name, without '@odata.bind'.")
            }
            val binding = value?.let(bindingOf)
            if (binding != null) {
                content["$key@odata.bind"] = JsonPrimitive(binding)
            } else {
                content[key] = element(value, path + key, bindingOf)
            }
        }
        return content
    }

    private fun element(value: Any?, field: String, bindingOf: (Any) -> String?): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> try {
            JsonPrimitive(ODataLiterals.requireWellFormed(value))
        } catch (e: InvalidInputException) {
            throw InvalidInputException("Column '$field': ${e.message}", e)
        }
        is Char -> JsonPrimitive(value.toString())
        is Boolean -> JsonPrimitive(value)
        is Int, is Long, is Short, is Byte -> JsonPrimitive(value as Number)
        is BigInteger -> JsonPrimitive(BigDecimal(value))
        is BigDecimal -> JsonPrimitive(value)
        is Double -> if (value.isFinite()) JsonPrimitive(value) else nonFinite(field, value)
        is Float -> if (value.isFinite()) JsonPrimitive(BigDecimal(value.toString())) else nonFinite(field, value)
        is UUID -> JsonPrimitive(value.toString())
        is Instant -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value))
        is OffsetDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
        is ZonedDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
        is LocalDate -> JsonPrimitive(value.toString())
        is EntityReference -> throw InvalidInputException("Column '$field': an EntityReference must be a column's direct value.")
        is ChoiceLabel -> throw InvalidInputException("Column '$field': a ChoiceLabel must be a column's direct value.")
        is Map<*, *> -> JsonObject(objectContent(value, "$field.", bindingOf))
        is Iterable<*> -> JsonArray(value.mapIndexed { i, item -> element(item, "$field[$i]", bindingOf) })
        is Array<*> -> JsonArray(value.mapIndexed { i, item -> element(item, "$field[$i]", bindingOf) })
        else -> throw InvalidInputException(
            "Column '$field' has a value of type ${value.javaClass.name}, which cannot be sent to Dataverse. Use String, " +
                "Boolean, a whole or decimal number, UUID, Instant, OffsetDateTime, ZonedDateTime, LocalDate, " +
                "EntityReference, null, or a Map/List of those.",
        )
    }

    private fun nonFinite(field: String, value: Any): Nothing =
        throw InvalidInputException("Column '$field' has the value $value: only finite numbers can be sent to Dataverse.")
}
