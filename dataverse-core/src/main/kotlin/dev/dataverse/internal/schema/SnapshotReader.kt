package dev.dataverse.internal.schema

import dev.dataverse.schema.*

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.longOrNull
import dev.dataverse.InvalidInputException
import java.math.BigDecimal
import java.nio.file.Path

/**
 * One JSON object of a snapshot being read, with the path that leads to it, so that every error names the property
 * (`tables[3].columns[7].logicalName`) and the file. Unknown members are ignored: a newer writer may add properties
 * within the same format version (snapshot-spec: forward compatible).
 */
internal class SnapshotNode(private val obj: JsonObject, val path: String, private val file: Path?) {

    fun fail(member: String?, message: String): Nothing {
        val where = member?.let { child(it) } ?: path.ifEmpty { null }
        throw InvalidSnapshotException(
            buildString {
                append("Invalid schema snapshot")
                if (file != null) append(" '").append(file).append('\'')
                if (where != null) append(" at ").append(where)
                append(": ").append(message)
            },
            where,
            file,
        )
    }

    fun child(member: String): String = if (path.isEmpty()) member else "$path.$member"

    private fun present(name: String): JsonElement? = obj[name]?.takeUnless { it is JsonNull }

    private fun required(name: String): JsonElement = present(name) ?: fail(name, "the required property '$name' is missing.")

    private fun primitive(name: String, element: JsonElement, kind: String): JsonPrimitive =
        element as? JsonPrimitive ?: fail(name, "expected $kind, found ${describe(element)}.")

    fun string(name: String): String = stringOrNull(name) ?: fail(name, "the required property '$name' is missing.")

    fun stringOrNull(name: String): String? {
        val element = present(name) ?: return null
        val value = primitive(name, element, "a string")
        if (!value.isString) fail(name, "expected a string, found ${describe(element)}.")
        if (value.content.isBlank()) fail(name, "'$name' cannot be blank.")
        return value.content
    }

    /** A string that may be blank (labels are free text). */
    fun rawStringOrNull(name: String): String? {
        val element = present(name) ?: return null
        val value = primitive(name, element, "a string")
        if (!value.isString) fail(name, "expected a string, found ${describe(element)}.")
        return value.content
    }

    /** Runs a model constructor, turning its [InvalidInputException] into an error naming this object's path. */
    fun <T> build(block: () -> T): T = try {
        block()
    } catch (e: InvalidSnapshotException) {
        throw e
    } catch (e: InvalidInputException) {
        fail(null, e.message ?: "invalid value.")
    }

    fun boolean(name: String): Boolean {
        val element = required(name)
        val value = primitive(name, element, "true or false")
        if (value.isString) fail(name, "expected true or false, found ${describe(element)}.")
        return value.booleanOrNull ?: fail(name, "expected true or false, found ${describe(element)}.")
    }

    fun int(name: String): Int = intOrNull(name) ?: fail(name, "the required property '$name' is missing.")

    fun intOrNull(name: String): Int? {
        val element = present(name) ?: return null
        val value = primitive(name, element, "an integer")
        if (value.isString) fail(name, "expected an integer, found ${describe(element)}.")
        return value.intOrNull ?: fail(name, "expected an integer, found ${describe(element)}.")
    }

    fun long(name: String): Long {
        val element = required(name)
        val value = primitive(name, element, "an integer")
        if (value.isString) fail(name, "expected an integer, found ${describe(element)}.")
        return value.longOrNull ?: fail(name, "expected an integer, found ${describe(element)}.")
    }

    /** A decimal written as a string (exact); a JSON number is accepted too, for files written by hand. */
    fun decimalOrNull(name: String): BigDecimal? {
        val element = present(name) ?: return null
        val value = primitive(name, element, "a decimal string")
        return value.content.toBigDecimalOrNull() ?: fail(name, "expected a decimal number, found ${describe(element)}.")
    }

    fun objectOrNull(name: String): SnapshotNode? {
        val element = present(name) ?: return null
        val value = element as? JsonObject ?: fail(name, "expected an object, found ${describe(element)}.")
        return SnapshotNode(value, child(name), file)
    }

    fun objects(name: String, required: Boolean = true): List<SnapshotNode> {
        val element = if (required) required(name) else present(name) ?: return emptyList()
        val array = element as? JsonArray ?: fail(name, "expected an array, found ${describe(element)}.")
        return array.mapIndexed { index, item ->
            val itemPath = "${child(name)}[$index]"
            val value = item as? JsonObject ?: SnapshotNode(obj, path, file).failAt(itemPath, "expected an object, found ${describe(item)}.")
            SnapshotNode(value, itemPath, file)
        }
    }

    fun strings(name: String): List<String> {
        val array = required(name) as? JsonArray ?: fail(name, "expected an array of strings.")
        return array.mapIndexed { index, item ->
            val value = item as? JsonPrimitive
            if (value == null || !value.isString || value.content.isBlank()) failAt("${child(name)}[$index]", "expected a non-blank string, found ${describe(item)}.")
            value.content
        }
    }

    fun failAt(where: String, message: String): Nothing =
        throw InvalidSnapshotException(
            "Invalid schema snapshot${file?.let { " '$it'" } ?: ""} at $where: $message",
            where,
            file,
        )

    /** Parses [name] as one of [values] (compared case-sensitively, as the format writes them). */
    fun <E> enumValue(name: String, values: Map<String, E>): E {
        val text = string(name)
        return values[text] ?: fail(name, "'$text' is not one of ${values.keys.joinToString()}.")
    }

    fun <E> enumValueOrNull(name: String, values: Map<String, E>): E? {
        val text = stringOrNull(name) ?: return null
        return values[text] ?: fail(name, "'$text' is not one of ${values.keys.joinToString()}.")
    }

    private fun describe(element: JsonElement): String = when (element) {
        is JsonNull -> "null"
        is JsonObject -> "an object"
        is JsonArray -> "an array"
        is JsonPrimitive -> if (element.isString) "the string \"${element.content.take(40)}\"" else element.content
    }
}
