package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiFailure
import dev.dataverse.emulator.CustomApiInvocation
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.work.RequestDeadline
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull

/** Turns custom APIs — from the embedding API with a handler, or from the admin API with a canned response — into messages. */
internal object CustomApis {
    /** A failing plug-in's error code (Learn: web-service-error-codes, `0x80040265` IsvAborted). */
    const val PLUGIN_FAILURE: String = "0x80040265"

    /**
     * Any other failure of plug-in code (Learn: web-service-error-codes, `0x80040224` IsvUnExpected). The status, 500, is
     * a guess: the page gives none.
     */
    const val PLUGIN_UNEXPECTED: String = "0x80040224"

    fun definition(api: CustomApi, values: TypedValues): MessageDefinition =
        MessageDefinition(
            api.uniqueName, api.isFunction, api.bindingType, api.boundEntityLogicalName?.lowercase(), api.requestParameters,
            shape = CustomApiShape(api.responseProperties.map { Triple(it.uniqueName, it.type, null) }),
        ) { invocation ->
            val scope = invocation.call.context.scope()
            val call = CustomApiInvocation(
                api.uniqueName, invocation.parameters, invocation.target, api.boundEntityLogicalName?.lowercase(),
                scope.caller.userId, scope.caller.realUserId,
            )
            val deadline = RequestDeadline.current()
            val result = try {
                // The handler never checks the deadline: past it (or when the client goes away, or the emulator stops)
                // its thread is interrupted, so a handler waiting forever gives the worker and the request gate back.
                if (deadline != null) deadline.interruptible { api.handler.handle(call) } else api.handler.handle(call)
            } catch (e: CustomApiFailure) {
                throw ApiException(400, PLUGIN_FAILURE, e.message ?: "The custom API failed.")
            } catch (e: ApiException) {
                throw e
            } catch (e: Throwable) {
                if (e is VirtualMachineError && e !is StackOverflowError) throw e
                // Interrupted at its deadline: answered as the plug-in that ran out of time it is.
                deadline?.check()
                // Learn ("Use InvalidPluginExecutionException in plug-ins and workflow activities"): any other exception
                // from plug-in code is answered with IsvUnExpected and "An unexpected error occurred from ISV code."
                throw ApiException(500, PLUGIN_UNEXPECTED, "An unexpected error occurred from ISV code. (${e.javaClass.name}: ${e.message})")
            }
            checkNotNull(result) { "The handler of ${api.uniqueName} returned null; return an empty map for no response properties." }
            val declared = api.responseProperties.map { it.uniqueName }.toSet()
            val undeclared = result.keys - declared
            check(undeclared.isEmpty()) { "The handler of ${api.uniqueName} returned undeclared response properties $undeclared." }
            if (api.responseProperties.isEmpty()) {
                null
            } else {
                JsonObject(api.responseProperties.associate { it.uniqueName to values.write(it.type, result[it.uniqueName], it.uniqueName) })
            }
        }

    /**
     * A custom API from the admin API's JSON: `uniqueName`, `isFunction`, `bindingType`, `boundEntityLogicalName`,
     * `requestParameters` (`[{uniqueName, type, isOptional}]`; when absent, any parameters are accepted) and `response`
     * (the canned response properties, or absent/null for `204 No Content`).
     */
    fun canned(json: JsonObject): MessageDefinition {
        val name = string(json, "uniqueName") ?: throw IllegalArgumentException("'uniqueName' is required.")
        val isFunction = (json["isFunction"] as? JsonPrimitive)?.booleanOrNull ?: false
        val binding = string(json, "bindingType")?.let { enumOf<CustomApiBindingType>(it, "bindingType") } ?: CustomApiBindingType.GLOBAL
        val bound = string(json, "boundEntityLogicalName")?.lowercase()
        val parameters = (json["requestParameters"] as? JsonArray)?.map { item ->
            val parameter = item as? JsonObject ?: throw IllegalArgumentException("Each request parameter must be an object.")
            CustomApiParameter(
                string(parameter, "uniqueName") ?: throw IllegalArgumentException("A request parameter needs 'uniqueName'."),
                enumOf(string(parameter, "type") ?: "STRING", "type"),
                (parameter["isOptional"] as? JsonPrimitive)?.booleanOrNull ?: false,
            )
        }
        val response = when (val value = json["response"]) {
            null, JsonNull -> null
            is JsonObject -> value
            else -> throw IllegalArgumentException("'response' must be an object of response properties.")
        }
        // Validated like an embedded one (names, binding, a function's response).
        CustomApi(
            name, isFunction, binding, bound, parameters.orEmpty(),
            response?.keys?.map { dev.dataverse.emulator.CustomApiProperty(it, CustomApiType.STRING) }.orEmpty(),
        ) { emptyMap() }
        return MessageDefinition(name, isFunction, binding, bound, parameters.orEmpty(), strictParameters = parameters != null) { response }
    }

    private fun string(json: JsonObject, name: String): String? = (json[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    private inline fun <reified E : Enum<E>> enumOf(text: String, field: String): E =
        enumValues<E>().firstOrNull { it.name.equals(text.replace(' ', '_'), ignoreCase = true) }
            ?: throw IllegalArgumentException("'$field' must be one of ${enumValues<E>().joinToString { it.name }}, not '$text'.")
}
