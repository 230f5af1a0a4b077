package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.json.BoundedJson
import dev.dataverse.emulator.internal.odata.RequestTarget
import java.math.BigDecimal
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The arguments of a message call as JSON values, before typing: an action's JSON body, or a function's
 * `Name(A=@p1,B='x')?@p1=...` parameters (Learn: "Use Web API functions"), aliases resolved from the query string and
 * URL literals read into JSON (strings, numbers, booleans, null, GUIDs and date-times as text, enum members
 * `Type'Member'` as their member text, JSON arrays and `{'@odata.id':'set(id)'}` record references).
 */
internal object MessageArguments {
    private val ENUM = Regex("[A-Za-z_][A-Za-z0-9_.]*'([^']*)'")
    private val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    private val NUMBER = Regex("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?")
    private val DATE = Regex("[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?")
    private val QUOTED_REFERENCE = Regex("\\{\\s*'@odata\\.id'\\s*:\\s*'((?:[^']|'')*)'\\s*}")

    /** A function's arguments from the text between the parentheses of its segment ([keyText]) and [target]'s aliases. */
    fun function(keyText: String?, target: RequestTarget): Map<String, JsonElement> {
        if (keyText.isNullOrBlank()) return emptyMap()
        val arguments = LinkedHashMap<String, JsonElement>()
        for (assignment in RequestTarget.splitOutsideQuotes(keyText, ',')) {
            val name = assignment.substringBefore('=', "").trim()
            if (name.isEmpty() || '=' !in assignment) throw ApiErrors.badRequest("Bad Request - Error in query syntax: '$assignment' is not a parameter assignment.")
            val raw = assignment.substringAfter('=').trim()
            val text = if (raw.startsWith("@")) {
                target.parameters.lastOrNull { it.name == raw }?.value
                    ?: throw ApiErrors.badRequest("The parameter alias '$raw' of parameter '$name' has no value in the query string.")
            } else {
                raw
            }
            if (arguments.put(name, literal(text, name)) != null) throw ApiErrors.badRequest("The parameter '$name' is given twice.")
        }
        return arguments
    }

    /** An action's arguments: its JSON body (an empty body means no parameters). */
    fun action(body: ByteArray): Map<String, JsonElement> {
        val text = body.toString(Charsets.UTF_8)
        if (text.isBlank()) return emptyMap()
        val element = try {
            BoundedJson.parse(text)
        } catch (e: IllegalArgumentException) {
            throw ApiErrors.badRequest("The request body is not valid JSON: ${e.message?.lineSequence()?.firstOrNull()}")
        }
        return element as? JsonObject ?: throw ApiErrors.badRequest("The request body of an action must be a JSON object.")
    }

    private fun literal(text: String, name: String): JsonElement {
        val value = text.trim()
        return when {
            value == "null" -> JsonNull
            value == "true" || value == "false" -> JsonPrimitive(value.toBoolean())
            value.length >= 2 && value.startsWith("'") && value.endsWith("'") -> JsonPrimitive(value.substring(1, value.length - 1).replace("''", "'"))
            value.startsWith("[") || value.startsWith("{\"") -> parseJson(value, name)
            QUOTED_REFERENCE.matches(value) ->
                JsonObject(mapOf("@odata.id" to JsonPrimitive(QUOTED_REFERENCE.matchEntire(value)!!.groupValues[1].replace("''", "'"))))
            ENUM.matches(value) -> JsonPrimitive(ENUM.matchEntire(value)!!.groupValues[1])
            GUID.matches(value) || DATE.matches(value) -> JsonPrimitive(value)
            NUMBER.matches(value) -> JsonPrimitive(BigDecimal(value))
            else -> throw ApiErrors.badRequest("Bad Request - Error in query syntax: the value of parameter '$name' is not a valid literal.")
        }
    }

    private fun parseJson(value: String, name: String): JsonElement = try {
        Json.parseToJsonElement(value)
    } catch (e: IllegalArgumentException) {
        throw ApiErrors.badRequest("The value of parameter '$name' is not valid JSON.")
    }
}
