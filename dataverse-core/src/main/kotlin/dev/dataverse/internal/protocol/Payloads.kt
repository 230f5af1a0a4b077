package dev.dataverse.internal.protocol

import dev.dataverse.BatchReference
import dev.dataverse.ChoiceLabel
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonWriter
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import java.math.BigDecimal
import java.math.BigInteger
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.UUID

/**
 * Writes callers' value maps as JSON, straight to bytes. Every key is validated and every value converted by type; an
 * unsupported value fails with its column named, before anything is sent, rather than being sent as `toString()`.
 * These are the rules of every payload the client writes (records, bulk targets, `$batch` parts, message entities);
 * [dev.dataverse.internal.WritePreparer] applies them to records.
 */
internal object Payloads {
    /** The tables that [EntityReference] values in [values] point to (nested maps included), for entity-set resolution. */
    fun referencedTables(values: Map<String, Any?>): Set<String> {
        var tables: LinkedHashSet<String>? = null
        fun visit(value: Any?) {
            when (value) {
                is EntityReference -> (tables ?: LinkedHashSet<String>().also { tables = it }) += value.table.lowercase()
                is Map<*, *> -> value.values.forEach(::visit)
                is Iterable<*> -> value.forEach(::visit)
            }
        }
        values.values.forEach(::visit)
        return tables ?: emptySet()
    }

    /**
     * Writes the members of [values] into the object [writer] has open. [bindingOf] returns the `@odata.bind` value for a
     * value that points at another record ([EntityReference], or a reference to an earlier operation of a batch), and
     * `null` for any other value. A key of [replace] is written with its value there instead of the caller's (a
     * client-assigned id where the caller gave a null one).
     */
    fun writeMembers(
        writer: JsonWriter,
        values: Map<*, *>,
        bindingOf: (Any) -> String?,
        replace: Map<String, Any?> = emptyMap(),
        path: String = "",
    ) {
        for ((rawKey, given) in values) {
            val key = rawKey as? String
                ?: throw InvalidInputException("Column names must be strings, but got ${rawKey?.javaClass?.name} in $path.")
            if (!isProperty(key)) {
                throw InvalidInputException("Invalid column name ${Identifiers.quote(path + key)}: expected a logical name such as 'name'.")
            }
            val value = if (replace.isNotEmpty() && replace.containsKey(key)) replace[key] else given
            if (key.contains('@') && (value is EntityReference || value is BatchReference)) {
                throw InvalidInputException("Column '$path$key': pass a record reference under the navigation property's name, without '@odata.bind'.")
            }
            val binding = value?.let(bindingOf)
            if (binding != null) {
                writer.name("$key@odata.bind").value(binding)
            } else {
                writer.name(key)
                element(writer, value, path, key, bindingOf)
            }
        }
    }

    /** Checks [values] as [writeMembers] would write them, writing nothing anyone keeps. */
    fun validate(values: Map<*, *>, bindingOf: (Any) -> String?) {
        val scratch = JsonWriter()
        scratch.beginObject()
        writeMembers(scratch, values, bindingOf)
    }

    /** [values] as a JSON object, [entitySetOf] mapping a referenced table's logical name to its entity set. */
    fun toJson(values: Map<String, Any?>, entitySetOf: (String) -> String): JsonObject =
        toJsonWithBindings(values) { reference ->
            (reference as? EntityReference)?.let { "/${entitySetOf(it.table.lowercase())}(${it.id})" }
        }

    /** [values] as a JSON object, with [bindingOf] as in [writeMembers]: for payloads that are trees (message parameters). */
    fun toJsonWithBindings(values: Map<String, Any?>, bindingOf: (Any) -> String?): JsonObject {
        val writer = JsonWriter()
        writer.beginObject()
        writeMembers(writer, values, bindingOf)
        writer.endObject()
        return JsonDocuments.obj(Body(writer.toByteArray()), "payload")
    }

    /**
     * Writes [value], the member [key] of the object at [path]. Its full name (`path + key`) is only built for an error
     * message or a nested value: a payload's members are written without a string built for each.
     */
    private fun element(writer: JsonWriter, value: Any?, path: String, key: String, bindingOf: (Any) -> String?) {
        fun field(): String = path + key
        when (value) {
            null -> writer.nullValue()
            is String -> try {
                writer.value(ODataLiterals.requireWellFormed(value))
            } catch (e: InvalidInputException) {
                throw InvalidInputException("Column '${field()}': ${e.message}", e)
            }
            is Boolean -> writer.value(value)
            is Int, is Long, is Short, is Byte -> writer.number(value.toString())
            is UUID -> writer.value(value.toString())
            is BigDecimal -> writer.number(value.toString())
            is Double -> if (value.isFinite()) writer.number(value.toString()) else nonFinite(field(), value)
            is Instant -> writer.value(DateTimeFormatter.ISO_INSTANT.format(value))
            is OffsetDateTime -> writer.value(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
            is ZonedDateTime -> writer.value(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
            is LocalDate -> writer.value(value.toString())
            is JsonElement -> writer.value(value)
            is Char -> writer.value(value.toString())
            is BigInteger -> writer.number(BigDecimal(value).toString())
            is Float -> if (value.isFinite()) writer.number(BigDecimal(value.toString()).toString()) else nonFinite(field(), value)
            is EntityReference -> throw InvalidInputException("Column '${field()}': an EntityReference must be a column's direct value.")
            is ChoiceLabel -> throw InvalidInputException("Column '${field()}': a ChoiceLabel must be a column's direct value.")
            is Map<*, *> -> {
                writer.beginObject()
                writeMembers(writer, value, bindingOf, path = "${field()}.")
                writer.endObject()
            }
            is Iterable<*>, is Array<*> -> {
                val items = if (value is Array<*>) value.asList() else value as Iterable<*>
                val arrayField = field()
                writer.beginArray()
                items.forEachIndexed { i, item -> element(writer, item, arrayField, "[$i]", bindingOf) }
                writer.endArray()
            }
            else -> throw InvalidInputException(
                "Column '${field()}' has a value of type ${value.javaClass.name}, which cannot be sent to Dataverse. Use String, " +
                    "Boolean, a whole or decimal number, UUID, Instant, OffsetDateTime, ZonedDateTime, LocalDate, " +
                    "EntityReference, null, or a Map/List of those.",
            )
        }
    }

    /**
     * A property name: `[A-Za-z_][A-Za-z0-9_]{0,127}`, optionally followed by `@odata.bind`, or `@odata.type` /
     * `@odata.id`. Checked by hand: it runs for every key of every record written.
     */
    fun isProperty(key: String): Boolean {
        if (key == ODATA_TYPE || key == ODATA_ID) return true
        val end = if (key.endsWith(BIND)) key.length - BIND.length else key.length
        if (end == 0 || end > MAX_NAME) return false
        val first = key[0]
        if (!(first in 'a'..'z' || first in 'A'..'Z' || first == '_')) return false
        for (index in 1 until end) {
            val char = key[index]
            if (!(char in 'a'..'z' || char in 'A'..'Z' || char in '0'..'9' || char == '_')) return false
        }
        return true
    }

    private fun nonFinite(field: String, value: Any): Nothing =
        throw InvalidInputException("Column '$field' has the value $value: only finite numbers can be sent to Dataverse.")

    private const val BIND = "@odata.bind"
    private const val ODATA_TYPE = "@odata.type"
    private const val ODATA_ID = "@odata.id"
    private const val MAX_NAME = 128
}
