package dev.dataverse.emulator.internal.schema

import dev.dataverse.emulator.EmulatorSchemaException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.intOrNull
import java.math.BigDecimal
import java.nio.file.Path

/**
 * One object of a schema snapshot file with the JSON path that leads to it, so that every error names the file and the
 * property. The emulator reads snapshots with this reader of its own (it does not depend on the client library);
 * unknown properties are ignored, as the format asks.
 */
internal class SnapshotNode(private val obj: JsonObject, val path: String, private val file: Path) {

    fun fail(member: String?, message: String): Nothing = failAt(member?.let(::child) ?: path.ifEmpty { null }, message)

    fun failAt(where: String?, message: String): Nothing =
        throw EmulatorSchemaException("Cannot load the schema snapshot '$file'${where?.let { " at $it" }.orEmpty()}: $message", file, where)

    fun child(member: String): String = if (path.isEmpty()) member else "$path.$member"

    private fun present(name: String): JsonElement? = obj[name]?.takeUnless { it is JsonNull }

    private fun primitive(name: String, kind: String): JsonPrimitive? {
        val element = present(name) ?: return null
        return element as? JsonPrimitive ?: fail(name, "expected $kind.")
    }

    fun string(name: String): String = stringOrNull(name) ?: fail(name, "the required property '$name' is missing.")

    fun stringOrNull(name: String): String? {
        val value = primitive(name, "a string") ?: return null
        if (!value.isString) fail(name, "expected a string.")
        if (value.content.isBlank()) fail(name, "'$name' cannot be blank.")
        return value.content
    }

    /** Free text, blank allowed (labels). */
    fun textOrNull(name: String): String? {
        val value = primitive(name, "a string") ?: return null
        if (!value.isString) fail(name, "expected a string.")
        return value.content
    }

    fun boolean(name: String): Boolean {
        val value = primitive(name, "true or false") ?: fail(name, "the required property '$name' is missing.")
        if (value.isString) fail(name, "expected true or false.")
        return value.booleanOrNull ?: fail(name, "expected true or false.")
    }

    fun int(name: String): Int = intOrNull(name) ?: fail(name, "the required property '$name' is missing.")

    fun intOrNull(name: String): Int? {
        val value = primitive(name, "an integer") ?: return null
        if (value.isString) fail(name, "expected an integer.")
        return value.intOrNull ?: fail(name, "expected an integer.")
    }

    fun decimalOrNull(name: String): BigDecimal? {
        val value = primitive(name, "a decimal") ?: return null
        return value.content.toBigDecimalOrNull() ?: fail(name, "expected a decimal number.")
    }

    fun objectOrNull(name: String): SnapshotNode? {
        val element = present(name) ?: return null
        return SnapshotNode(element as? JsonObject ?: fail(name, "expected an object."), child(name), file)
    }

    fun objects(name: String, required: Boolean = true): List<SnapshotNode> {
        val element = present(name) ?: if (required) fail(name, "the required property '$name' is missing.") else return emptyList()
        val array = element as? JsonArray ?: fail(name, "expected an array.")
        return array.mapIndexed { index, item ->
            val where = "${child(name)}[$index]"
            SnapshotNode(item as? JsonObject ?: failAt(where, "expected an object."), where, file)
        }
    }

    fun strings(name: String): List<String> {
        val array = present(name) as? JsonArray ?: fail(name, "expected an array of strings.")
        return array.mapIndexed { index, item ->
            val value = item as? JsonPrimitive
            if (value == null || !value.isString || value.content.isBlank()) failAt("${child(name)}[$index]", "expected a non-blank string.")
            value.content
        }
    }
}
