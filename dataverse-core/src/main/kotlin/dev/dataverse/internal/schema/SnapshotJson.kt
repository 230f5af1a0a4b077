package dev.dataverse.internal.schema

import dev.dataverse.schema.*

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Prints a JSON tree the way the snapshot format asks (snapshot-spec "Determinism"): 2-space indentation, one member
 * or item per line, `"name": value`, `\n` line ends, a final newline, `[]` and `{}` for empty containers. Members are
 * printed in the tree's own order, which the writer builds in the format's property order.
 */
internal object SnapshotJson {
    fun print(root: JsonElement): String {
        val out = StringBuilder(4096)
        write(out, root, 0)
        out.append('\n')
        return out.toString()
    }

    private fun write(out: StringBuilder, element: JsonElement, depth: Int) {
        when (element) {
            is JsonNull -> out.append("null")
            // JsonPrimitive.toString() quotes and escapes strings as JSON does and prints numbers and booleans as they are.
            is JsonPrimitive -> out.append(element.toString())
            is JsonObject -> {
                if (element.isEmpty()) {
                    out.append("{}")
                    return
                }
                out.append("{\n")
                var first = true
                for ((name, value) in element) {
                    if (!first) out.append(",\n")
                    first = false
                    indent(out, depth + 1)
                    out.append(JsonPrimitive(name).toString()).append(": ")
                    write(out, value, depth + 1)
                }
                out.append('\n')
                indent(out, depth)
                out.append('}')
            }
            is JsonArray -> {
                if (element.isEmpty()) {
                    out.append("[]")
                    return
                }
                out.append("[\n")
                element.forEachIndexed { index, item ->
                    if (index > 0) out.append(",\n")
                    indent(out, depth + 1)
                    write(out, item, depth + 1)
                }
                out.append('\n')
                indent(out, depth)
                out.append(']')
            }
        }
    }

    private fun indent(out: StringBuilder, depth: Int) {
        repeat(depth) { out.append("  ") }
    }
}
