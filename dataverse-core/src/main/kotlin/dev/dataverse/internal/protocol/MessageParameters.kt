package dev.dataverse.internal.protocol

import dev.dataverse.EntityReference
import dev.dataverse.EnumMember
import dev.dataverse.InvalidInputException
import dev.dataverse.MessageEntity
import dev.dataverse.MessageKind
import dev.dataverse.MessageRequest
import dev.dataverse.internal.protocol.json.JsonWriter
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

/** The HTTP form of a message call: method, target relative to the API root, JSON body for actions. */
internal class MessageCall(val method: String, val target: String, val body: RequestBody.Bytes?)

/**
 * Turns a [MessageRequest] into its HTTP form, as Learn describes it ("Use Web API actions", "Use Web API functions"):
 * actions `POST` a JSON body of their parameters; functions `GET` `Name(A=@p1,B=@p2)?@p1=...&@p2=...` with every value
 * in a parameter alias, formatted as an OData literal and percent-encoded, so no value can change the URL's structure.
 * Pure: tables are resolved by the caller's lookup.
 */
internal object MessageParameters {
    private const val NAMESPACE = "Microsoft.Dynamics.CRM."

    /** Checks names and value types; the rules of [MessageRequest]. */
    fun validate(parameters: Map<String, Any?>, function: Boolean) {
        for ((name, value) in parameters) {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (name == null || !Identifiers.isIdentifier(name)) {
                throw InvalidInputException("Invalid parameter name ${Identifiers.quote(name)}: expected a name such as 'Target'.")
            }
            check(value, name, function)
        }
    }

    private fun check(value: Any?, field: String, function: Boolean) {
        when (value) {
            null, is String, is Boolean, is Int, is Long, is Short, is Byte, is BigInteger, is UUID, is Instant, is OffsetDateTime,
            is ZonedDateTime, is LocalDate, is EnumMember, is EntityReference -> if (value is String) wellFormed(value, field)
            is BigDecimal -> Unit
            is Double -> if (!value.isFinite()) invalid(field, "$value is not a finite number")
            is Float -> if (!value.isFinite()) invalid(field, "$value is not a finite number")
            is MessageEntity -> if (function) {
                invalid(field, "a function takes references to records (EntityReference), not record values")
            } else {
                Payloads.validate(value.values) { if (it is EntityReference) "/x(${it.id})" else null }
            }
            is Map<*, *> -> if (function) {
                invalid(field, "a function cannot take a complex-type value; only actions can")
            } else {
                value.forEach { (key, item) ->
                    if (key !is String || key.isEmpty()) invalid(field, "complex-type property names must be non-empty strings")
                    check(item, "$field.$key", function)
                }
            }
            is Iterable<*> -> value.forEachIndexed { i, item -> checkItem(item, "$field[$i]", function) }
            is Array<*> -> value.forEachIndexed { i, item -> checkItem(item, "$field[$i]", function) }
            else -> invalid(
                field,
                "a ${value.javaClass.name} cannot be sent; use String, Boolean, a whole or decimal number, UUID, Instant, " +
                    "OffsetDateTime, ZonedDateTime, LocalDate, EnumMember, EntityReference, MessageEntity, a Map (actions) or a List of those",
            )
        }
    }

    private fun checkItem(item: Any?, field: String, function: Boolean) {
        if (item is Iterable<*> || item is Array<*>) invalid(field, "collections cannot be nested")
        if (function && (item is EntityReference || item is Map<*, *> || item is MessageEntity)) {
            invalid(field, "a function's collection parameters take primitive values only")
        }
        check(item, field, function)
    }

    private fun wellFormed(text: String, field: String) {
        try {
            ODataLiterals.requireWellFormed(text)
        } catch (e: InvalidInputException) {
            invalid(field, e.message ?: "malformed text")
        }
    }

    private fun invalid(field: String, why: String): Nothing = throw InvalidInputException("Invalid value for parameter '$field': $why.")

    /** The logical names of the tables [request] refers to: its binding and every record or reference in its parameters. */
    fun tablesOf(request: MessageRequest): Set<String> {
        val tables = LinkedHashSet<String>()
        request.binding.table?.let { tables += it }
        fun visit(value: Any?) {
            when (value) {
                is EntityReference -> tables += value.table.lowercase()
                is MessageEntity -> {
                    tables += value.table.lowercase()
                    tables += Payloads.referencedTables(value.values)
                }
                is Map<*, *> -> value.values.forEach(::visit)
                is Iterable<*> -> value.forEach(::visit)
                is Array<*> -> value.forEach(::visit)
            }
        }
        request.parameters.values.forEach(::visit)
        return tables
    }

    /** The HTTP form of [request]; [table] gives the metadata of each table [tablesOf] named. */
    fun call(request: MessageRequest, table: (String) -> TableMetadata): MessageCall {
        val binding = request.binding
        val path = when {
            binding.table == null -> request.name
            binding.key == null -> "${table(binding.table).entitySetName}/$NAMESPACE${request.name}"
            else -> "${QueryStrings.recordPath(table(binding.table), binding.key)}/$NAMESPACE${request.name}"
        }
        return when (request.kind) {
            MessageKind.ACTION -> MessageCall("POST", path, JsonWriter().value(actionBody(request.parameters, table)).toBody())
            MessageKind.FUNCTION -> MessageCall("GET", path + functionSuffix(request.parameters, binding.isBound, table), null)
        }
    }

    /**
     * `(A=@p1,B=@p2)?@p1=<literal>&@p2=<literal>`. Without parameters: nothing for an unbound function (Learn writes
     * `GET WhoAmI`), `()` for a bound one (Learn writes `.../Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`).
     */
    private fun functionSuffix(parameters: Map<String, Any?>, bound: Boolean, table: (String) -> TableMetadata): String {
        if (parameters.isEmpty()) return if (bound) "()" else ""
        val names = parameters.keys.toList()
        val aliases = names.indices.map { "@p${it + 1}" }
        return names.zip(aliases).joinToString(",", "(", ")") { (name, alias) -> "$name=$alias" } +
            aliases.zip(names).joinToString("&", "?") { (alias, name) ->
                "$alias=" + UrlEncoding.query(functionLiteral(parameters[name], table))
            }
    }

    /** The literal of a function parameter's alias. Collections are JSON arrays, as Learn shows for `RetrieveTotalRecordCount`. */
    private fun functionLiteral(value: Any?, table: (String) -> TableMetadata): String = when (value) {
        is EnumMember -> "${value.type}'${value.value}'"
        // Learn ("Use Web API functions", passing a reference to a record): {'@odata.id':'accounts(<id>)'}.
        is EntityReference -> "{'@odata.id':'${table(value.table.lowercase()).entitySetName}(${value.id})'}"
        is Iterable<*> -> JsonArray(value.map { primitive(it) }).toString()
        is Array<*> -> JsonArray(value.map { primitive(it) }).toString()
        else -> ODataLiterals.format(value)
    }

    private fun actionBody(parameters: Map<String, Any?>, table: (String) -> TableMetadata): JsonObject =
        JsonObject(parameters.mapValues { (_, value) -> actionValue(value, table) })

    private fun actionValue(value: Any?, table: (String) -> TableMetadata): JsonElement = when (value) {
        is EntityReference -> table(value.table.lowercase()).let { meta ->
            JsonObject(mapOf("@odata.type" to JsonPrimitive(NAMESPACE + meta.logicalName), meta.primaryIdAttribute to JsonPrimitive(value.id.toString())))
        }
        is MessageEntity -> table(value.table.lowercase()).let { meta ->
            val columns = Payloads.toJson(value.values) { referenced -> table(referenced).entitySetName }
            JsonObject(mapOf("@odata.type" to JsonPrimitive(NAMESPACE + meta.logicalName)) + columns)
        }
        is EnumMember -> JsonPrimitive(value.value)
        is Map<*, *> -> JsonObject(value.entries.associate { (key, item) -> key as String to actionValue(item, table) })
        is Iterable<*> -> JsonArray(value.map { actionValue(it, table) })
        is Array<*> -> JsonArray(value.map { actionValue(it, table) })
        else -> primitive(value)
    }

    private fun primitive(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Int, is Long, is Short, is Byte -> JsonPrimitive(value as Number)
        is BigInteger -> JsonPrimitive(BigDecimal(value))
        is BigDecimal -> JsonPrimitive(value)
        is Double -> JsonPrimitive(value)
        is Float -> JsonPrimitive(BigDecimal(value.toString()))
        is UUID -> JsonPrimitive(value.toString())
        is Instant -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value))
        is OffsetDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
        is ZonedDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
        is LocalDate -> JsonPrimitive(value.toString())
        is EnumMember -> JsonPrimitive(value.value)
        else -> throw InvalidInputException("A ${value.javaClass.name} cannot be sent in a collection parameter.")
    }
}
