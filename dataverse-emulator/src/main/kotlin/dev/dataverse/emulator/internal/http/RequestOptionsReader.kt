package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.RequestOption
import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.odata.RequestTarget
import dev.dataverse.emulator.internal.options.RequestScope
import dev.dataverse.emulator.internal.records.Caller
import java.util.UUID

/**
 * Reads the request options a client sends in headers (Learn: "Impersonate another user using the Web API", "Bypass
 * custom Dataverse logic", "Detect duplicate data using the Web API", "Compose HTTP requests and handle errors"), counts
 * them in the stats, and turns impersonation and duplicate detection into the [RequestScope] the request's writes run in.
 */
internal object RequestOptionsReader {
    private val BYPASS_VALUES = setOf("customsync", "customasync")

    fun scopeOf(request: ApiRequest, target: RequestTarget, context: EmulatorContext): RequestScope {
        val stats = context.stats
        val inherited = context.scope()
        val objectId = request.header(RequestOption.CALLER_OBJECT_ID.wireName)
        val callerId = request.header(RequestOption.CALLER_ID.wireName)
        val userId = when {
            objectId != null -> userByObjectId(guid(objectId, RequestOption.CALLER_OBJECT_ID), context)
            callerId != null -> userById(guid(callerId, RequestOption.CALLER_ID), context)
            else -> inherited.caller.userId
        }
        if (objectId != null) stats.optionSeen(RequestOption.CALLER_OBJECT_ID)
        if (callerId != null) stats.optionSeen(RequestOption.CALLER_ID)
        request.header(RequestOption.BYPASS_BUSINESS_LOGIC.wireName)?.let { value ->
            val parts = value.split(',').map { it.trim().lowercase() }
            // The service's answer to an unknown value is not documented: refusing it is a guess.
            if (parts.isEmpty() || parts.any { it !in BYPASS_VALUES }) {
                throw ApiErrors.badRequest("The value '$value' of MSCRM.BypassBusinessLogicExecution is not valid; use CustomSync, CustomAsync or both.")
            }
            stats.optionSeen(RequestOption.BYPASS_BUSINESS_LOGIC)
        }
        if (request.header(RequestOption.BYPASS_CUSTOM_PLUGINS.wireName)?.trim().equals("true", ignoreCase = true)) {
            stats.optionSeen(RequestOption.BYPASS_CUSTOM_PLUGINS)
        }
        val suppress = request.header(RequestOption.DUPLICATE_DETECTION.wireName)?.trim()
        val detect = if (suppress == null) inherited.duplicateDetection else suppress.equals("false", ignoreCase = true)
        if (suppress != null && detect) stats.optionSeen(RequestOption.DUPLICATE_DETECTION)
        if (request.header(RequestOption.SOLUTION.wireName) != null) stats.optionSeen(RequestOption.SOLUTION)
        target.parameters.lastOrNull { it.name == RequestOption.TAG.wireName }?.let { stats.tagSeen(it.value) }
        return RequestScope(Caller(userId, context.identity.userId), detect)
    }

    private fun guid(text: String, option: RequestOption): UUID = try {
        require(GUID.matches(text.trim()))
        UUID.fromString(text.trim())
    } catch (e: IllegalArgumentException) {
        // The service's wording for a malformed id is not documented: a 400 is a guess.
        throw ApiErrors.badRequest("The ${option.wireName} header must hold a GUID, but was '$text'.")
    }

    /**
     * The `systemuser` with id [id]. An unknown user is refused with the not-found error of a missing record; the exact
     * code and wording the service uses for an unknown impersonated user are not documented, so this is a guess that
     * clients must not key on.
     */
    private fun userById(id: UUID, context: EmulatorContext): UUID {
        val users = context.catalog.table(StandardTables.SYSTEM_USER) ?: return id
        context.store.table(users).get(id) ?: throw ApiErrors.recordNotFound(StandardTables.SYSTEM_USER, id)
        return id
    }

    /** The `systemuser` whose Microsoft Entra object id is [objectId]; unknown ones as in [userById] (a guess as well). */
    private fun userByObjectId(objectId: UUID, context: EmulatorContext): UUID {
        val users = context.catalog.table(StandardTables.SYSTEM_USER) ?: return objectId
        return context.store.table(users).all().firstOrNull { it[StandardTables.AAD_OBJECT_ID] == objectId }?.id
            ?: throw ApiException(
                404, ErrorCodes.RECORD_NOT_FOUND,
                "${StandardTables.SYSTEM_USER} With ${StandardTables.AAD_OBJECT_ID} = $objectId Does Not Exist",
            )
    }

    private val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
}
