package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** The service document and the CSDL `$metadata` document. */
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

    private fun entry(name: String, kind: String) = buildJsonObject {
        put("name", name)
        put("kind", kind)
        put("url", name)
    }

    private fun requireGet(call: ApiCall) {
        if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
    }
}
