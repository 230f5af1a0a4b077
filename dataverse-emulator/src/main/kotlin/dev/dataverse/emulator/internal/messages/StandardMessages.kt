package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * The standard messages the emulator serves faithfully, with the response shapes of Learn's function reference:
 * `WhoAmI`, `RetrieveVersion` and `RetrieveTotalRecordCount`.
 */
internal object StandardMessages {
    /** The version `RetrieveVersion` reports: the emulated Web API's, not a real build number. */
    const val VERSION: String = "9.2.0.0"

    fun all(): List<MessageDefinition> = listOf(whoAmI(), retrieveVersion(), retrieveTotalRecordCount())

    /** Who the request acts as: the impersonated user when the caller impersonates. */
    private fun whoAmI() = function("WhoAmI", emptyList()) { invocation ->
        val context = invocation.call.context
        buildJsonObject {
            put("BusinessUnitId", context.identity.businessUnitId.toString())
            put("UserId", context.scope().caller.userId.toString())
            put("OrganizationId", context.identity.organizationId.toString())
        }
    }

    private fun retrieveVersion() = function("RetrieveVersion", emptyList()) { buildJsonObject { put("Version", VERSION) } }

    /**
     * Learn (RetrieveTotalRecordCount function): `EntityRecordCountCollection` with `Count`, `IsReadOnly`, `Keys` and
     * `Values`. The service counts from a daily snapshot; the emulator counts the records it holds now.
     */
    private fun retrieveTotalRecordCount() =
        function("RetrieveTotalRecordCount", listOf(CustomApiParameter("EntityNames", CustomApiType.STRING_ARRAY))) { invocation ->
            val context = invocation.call.context
            @Suppress("UNCHECKED_CAST")
            val names = invocation.parameters["EntityNames"] as List<String>
            val counts = names.map { name ->
                val synthetic = context.synthetic?.takeIf { it.table.logicalName.equals(name, ignoreCase = true) }
                synthetic?.count ?: context.store.table(name)?.size?.toLong()
                    // The service's error for an unknown table here is not documented: this wording is a guess.
                    ?: throw ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "Could not find an entity with logical name '$name'.")
            }
            buildJsonObject {
                put(
                    "EntityRecordCountCollection",
                    JsonObject(
                        mapOf(
                            "Count" to JsonPrimitive(names.size),
                            "IsReadOnly" to JsonPrimitive(false),
                            "Keys" to JsonArray(names.map(::JsonPrimitive)),
                            "Values" to JsonArray(counts.map(::JsonPrimitive)),
                        ),
                    ),
                )
            }
        }

    private fun function(name: String, parameters: List<CustomApiParameter>, respond: (MessageInvocation) -> JsonObject) =
        MessageDefinition(name, isFunction = true, CustomApiBindingType.GLOBAL, null, parameters, respond = respond)
}
