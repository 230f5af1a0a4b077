package dev.dataverse.internal.protocol

import dev.dataverse.internal.protocol.json.JsonDocuments
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.intOrNull
import java.util.UUID

/** The status of one record of a bulk request on an elastic table, by its position in `Targets`. */
internal class BulkItemStatus(val index: Int, val id: UUID?, val statusCode: Int) {
    val succeeded: Boolean get() = statusCode in 200..299
}

/**
 * Reads the per-record statuses an elastic table's bulk request reports when it partly fails. Learn ("Bulk operations
 * with elastic tables", Handling errors) documents them for the SDK as the `Plugin.BulkApiErrorDetails` error detail, a
 * JSON list of `{RequestIndex, Id, StatusCode}`, and says the Web API returns them as error annotations when asked with
 * `Prefer: odata.include-annotations="Microsoft.PowerApps.CDS.ErrorDetails.*"`.
 *
 * A guess: the annotation's name ([ANNOTATION]) follows the documented `@Microsoft.PowerApps.CDS.ErrorDetails.<detail>`
 * pattern; Learn shows no Web API example. The value is read as a JSON string holding the list (as the SDK detail is) or
 * as the list itself. When it is absent or unreadable, the client does not guess which records were applied.
 */
internal object BulkItemStatuses {
    const val ANNOTATION: String = "@Microsoft.PowerApps.CDS.ErrorDetails.Plugin.BulkApiErrorDetails"

    /** What an elastic bulk request asks for, so that a partial failure says which records failed. */
    const val PREFER: String = "odata.include-annotations=\"Microsoft.PowerApps.CDS.ErrorDetails.*\""

    /** The statuses in the value of an error's [ANNOTATION]; `null` when it carries none that can be read. */
    fun parse(raw: JsonElement): List<BulkItemStatus>? {
        val list = when {
            raw is JsonArray -> raw
            raw is JsonPrimitive && raw.isString -> JsonDocuments.elementOrNull(Body.of(raw.content)) as? JsonArray
            else -> null
        } ?: return null
        val statuses = list.map { item -> status(item) ?: return null }
        return statuses.takeIf { it.isNotEmpty() && it.map(BulkItemStatus::index).toSet().size == it.size }
    }

    private fun status(item: JsonElement): BulkItemStatus? {
        val fields = item as? JsonObject ?: return null
        val index = (fields["RequestIndex"] as? JsonPrimitive)?.intOrNull?.takeIf { it >= 0 } ?: return null
        val status = (fields["StatusCode"] as? JsonPrimitive)?.intOrNull?.takeIf { it in 100..599 } ?: return null
        val id = (fields["Id"] as? JsonPrimitive)?.takeIf { it.isString }?.content?.let(::parseGuidOrNull)
        return BulkItemStatus(index, id, status)
    }
}
