package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.CustomApiReference
import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.messages.MessageArguments
import dev.dataverse.emulator.internal.messages.MessageDefinition
import dev.dataverse.emulator.internal.messages.MessageInvocation
import dev.dataverse.emulator.internal.messages.TypedValues
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.find
import dev.dataverse.emulator.internal.records.notFound
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Serves calls of the messages in the registry: unbound (`/WhoAmI`, `/sample_Api(P=@p1)?@p1=...`), bound to a record
 * (`/accounts(<id>)/Microsoft.Dynamics.CRM.sample_Api`) or to a table (`/accounts/Microsoft.Dynamics.CRM.sample_Api`).
 * Checks the method, the binding and every parameter as the service does before the message runs (Learn: "Use Web API
 * actions", "Use Web API functions", "Create and use custom APIs").
 */
internal class MessageHandler(private val context: EmulatorContext) {
    private val values = TypedValues(context.catalog)

    /** The unbound message named by [segment], or null when there is none of that name. */
    fun unbound(call: ApiCall, segment: PathSegment): ApiResponse? {
        val name = segment.name.removePrefix(NAMESPACE)
        val definition = context.messages.find(name, null, record = false) ?: return null
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        return invoke(call, definition, segment.keyText, null)
    }

    /** The message bound to [table] named by [segments] (`[set(key)?, Microsoft.Dynamics.CRM.Name(...)]`), or null. */
    fun bound(call: ApiCall, table: TableDefinition, segments: List<PathSegment>): ApiResponse? {
        if (segments.size != 2 || !segments[1].name.startsWith(NAMESPACE)) return null
        val name = segments[1].name.removePrefix(NAMESPACE)
        val keyText = segments[0].keyText
        val definition = context.messages.find(name, table.logicalName, record = keyText != null) ?: return null
        val target = keyText?.let { text ->
            val key = RecordKey.resolve(table, text)
            val record = context.store.table(table).find(key) ?: throw key.notFound(table)
            CustomApiReference(table.logicalName, record.id)
        }
        return invoke(call, definition, segments[1].keyText, target)
    }

    private fun invoke(call: ApiCall, definition: MessageDefinition, keyText: String?, target: CustomApiReference?): ApiResponse {
        val expected = if (definition.isFunction) "GET" else "POST"
        if (call.method != expected) {
            // Learn ("Troubleshoot Dataverse Web API client errors"): a function called with POST (or an action with GET)
            // is answered 404 with an empty code.
            throw ApiException(404, "", "No HTTP resource was found that matches the request URI '${context.apiUrl}/${call.target.rawPath}'.")
        }
        if (!definition.isFunction && !keyText.isNullOrBlank()) {
            throw ApiErrors.badRequest("The action '${definition.name}' takes its parameters in the request body, not in the URL.")
        }
        val arguments = if (definition.isFunction) MessageArguments.function(keyText, call.target) else MessageArguments.action(call.request.body)
        val declared = definition.parameters.associateBy { it.uniqueName }
        val typed = LinkedHashMap<String, Any?>()
        for ((name, value) in arguments) {
            val parameter = declared[name]
            if (parameter == null) {
                if (definition.strictParameters) {
                    throw ApiException(
                        400, ErrorCodes.ODATA_ERROR,
                        "The parameter '$name' in the request payload is not a valid parameter for the operation '${definition.name}'.",
                    )
                }
                typed[name] = value
                continue
            }
            typed[name] = values.read(parameter.type, value, name)
        }
        definition.parameters.firstOrNull { !it.isOptional && it.uniqueName !in arguments }?.let { missing ->
            // The service's wording for a missing required parameter is not documented; this one is a guess.
            throw ApiErrors.badRequest("The required parameter '${missing.uniqueName}' of '${definition.name}' is missing.")
        }
        val body = definition.respond(MessageInvocation(call, definition, typed, target)) ?: return ApiResponse.empty(204)
        val context = "${this.context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.${definition.name}Response"
        return ApiResponse.json(200, JsonObject(mapOf("@odata.context" to JsonPrimitive(context)) + body))
    }

    companion object {
        const val NAMESPACE: String = "Microsoft.Dynamics.CRM."
    }
}
