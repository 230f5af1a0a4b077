package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.KeyPredicate
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** The service document, the CSDL `$metadata` document and the WhoAmI function. */
internal object ServiceHandlers {

    /** `GET /api/data/v9.2/`: the entity sets and functions the service exposes. */
    fun serviceDocument(call: ApiCall): ApiResponse {
        requireGet(call)
        val context = call.context
        val entries = context.catalog.tables().map { entry(it.entitySetName, "EntitySet") } +
            entry(ApiRouter.ENTITY_DEFINITIONS, "EntitySet") +
            entry(ApiRouter.WHO_AM_I, "FunctionImport")
        return ApiResponse.json(
            200,
            buildJsonObject {
                put("@odata.context", "${context.apiUrl}/\$metadata")
                put("value", JsonArray(entries))
            },
        )
    }

    /** `GET $metadata`: the CSDL of the tables. */
    fun metadataDocument(call: ApiCall): ApiResponse {
        requireGet(call)
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        return ApiResponse.text(200, CsdlDocument.render(call.context.catalog.tables()), "application/xml")
    }

    /** `GET WhoAmI` / `GET WhoAmI()`: the caller's user, business unit and organization ids. */
    fun whoAmI(call: ApiCall): ApiResponse {
        requireGet(call)
        val segment = call.target.segments.first()
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        if (segment.keyText != null && KeyPredicate.parse(segment.keyText) != KeyPredicate.Empty) {
            throw ApiErrors.badRequest("The function 'WhoAmI' takes no parameters.")
        }
        val identity = call.context.identity
        return ApiResponse.json(
            200,
            buildJsonObject {
                put("@odata.context", "${call.context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse")
                put("BusinessUnitId", identity.businessUnitId.toString())
                put("UserId", identity.userId.toString())
                put("OrganizationId", identity.organizationId.toString())
            },
        )
    }

    private fun entry(name: String, kind: String) = buildJsonObject {
        put("name", name)
        put("kind", kind)
        put("url", name)
    }

    private fun requireGet(call: ApiCall) {
        if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
    }
}
