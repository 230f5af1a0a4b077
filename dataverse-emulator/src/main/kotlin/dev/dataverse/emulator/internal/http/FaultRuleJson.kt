package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put

/**
 * The JSON form of a [FaultRule] in the admin API:
 * `{"kind":"SERVICE_UNAVAILABLE","probability":0.05,"pathPattern":"accounts.*","methods":["POST"],"retryAfterSeconds":1,"latencyMillis":0}`;
 * only `kind` is required.
 */
internal object FaultRuleJson {
    private val PROPERTIES = setOf("kind", "probability", "pathPattern", "methods", "retryAfterSeconds", "latencyMillis")

    fun toJson(rule: FaultRule): JsonObject = buildJsonObject {
        put("kind", rule.kind.name)
        put("probability", rule.probability)
        put("pathPattern", rule.pathPattern)
        put("methods", JsonArray(rule.methods.sorted().map(::JsonPrimitive)))
        put("retryAfterSeconds", rule.retryAfterSeconds)
        put("latencyMillis", rule.latencyMillis)
    }

    /** The rule [json] describes; throws [IllegalArgumentException] with a message naming what is wrong. */
    fun fromJson(json: JsonElement): FaultRule {
        val body = json as? JsonObject ?: throw IllegalArgumentException("A fault rule must be a JSON object.")
        body.keys.firstOrNull { it !in PROPERTIES }?.let { throw IllegalArgumentException("Unknown fault rule property '$it'; known: $PROPERTIES.") }
        val kindName = body.text("kind") ?: throw IllegalArgumentException("A fault rule needs 'kind', one of ${FaultKind.entries}.")
        val kind = FaultKind.entries.firstOrNull { it.name.equals(kindName, ignoreCase = true) }
            ?: throw IllegalArgumentException("Unknown fault kind '$kindName'; known: ${FaultKind.entries}.")
        val methods = when (val value = body["methods"]) {
            null, JsonNull -> emptySet()
            is JsonArray -> value.map { method ->
                (method as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw IllegalArgumentException("'methods' must list strings.")
            }.toSet()
            else -> throw IllegalArgumentException("'methods' must be an array of strings, e.g. [\"POST\"].")
        }
        return FaultRule(
            kind = kind,
            probability = body.number("probability")?.doubleOrNull ?: 1.0,
            methods = methods,
            pathPattern = body.text("pathPattern"),
            retryAfterSeconds = body.number("retryAfterSeconds")?.longOrNull?.toInt() ?: 1,
            latencyMillis = body.number("latencyMillis")?.longOrNull ?: 0,
        )
    }

    private fun JsonObject.text(name: String): String? = when (val value = this[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> value.takeIf { it.isString }?.content ?: throw IllegalArgumentException("'$name' must be a string.")
        else -> throw IllegalArgumentException("'$name' must be a string.")
    }

    private fun JsonObject.number(name: String): JsonPrimitive? = when (val value = this[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> value.takeIf { !it.isString && it.booleanOrNull == null } ?: throw IllegalArgumentException("'$name' must be a number.")
        else -> throw IllegalArgumentException("'$name' must be a number.")
    }
}
