package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import dev.dataverse.WhoAmI
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.longOrNull
import java.util.UUID

/** Parsing of successful responses. Anything not of the expected shape becomes a [MalformedResponseException]. */
internal object Responses {
    /**
     * The id of the record a write touched, from its `OData-EntityId` (or `Location`) [header] (see [EntityIdHeaders]):
     * `null` when there is no header, when it names the record by an alternate key (which carries no id), or when it
     * cannot be read. The write was applied in every case, so none of these is an error. When the request named the
     * record's id ([expected]: the id the client gave a create, or the key's own id), a header naming another record is
     * refused: it answers some other request, and returning its id would point the caller at a record it did not write.
     *
     * @throws MalformedResponseException when the header names a record other than [expected].
     */
    fun entityId(header: String?, primaryIdAttribute: String, expected: UUID? = null): UUID? {
        val parsed = header?.let { EntityIdHeaders.parse(it, primaryIdAttribute) } as? EntityIdHeader.Id ?: return null
        if (expected != null && parsed.id != expected) {
            throw MalformedResponseException("The OData-EntityId header names record ${parsed.id}, but the request wrote record $expected.")
        }
        return parsed.id
    }

    fun jsonObject(body: String, what: String): JsonObject {
        val element = try {
            Json.parseToJsonElement(body)
        } catch (e: IllegalArgumentException) { // SerializationException extends it
            throw MalformedResponseException("The $what response is not valid JSON: ${Identifiers.quote(body.take(200))}", e)
        }
        return element as? JsonObject
            ?: throw MalformedResponseException("The $what response is not a JSON object: ${Identifiers.quote(body.take(200))}")
    }

    fun record(body: String, table: String, primaryIdAttribute: String): DataverseRecord =
        DataverseRecord(table, primaryIdAttribute, jsonObject(body, "record"))

    /** One page of a collection: `value`, `@odata.nextLink`, `@odata.count`. */
    fun page(body: String, table: String, primaryIdAttribute: String): Page {
        val root = jsonObject(body, "collection")
        val values = root["value"] as? JsonArray
            ?: throw MalformedResponseException("The collection response has no 'value' array.")
        val records = values.map { item ->
            DataverseRecord(table, primaryIdAttribute, item as? JsonObject ?: throw MalformedResponseException("A collection item is not a JSON object: $item"))
        }
        val nextLink = root.optionalString("@odata.nextLink")
        val count = (root["@odata.count"] as? JsonPrimitive)?.longOrNull
        val capped = (root["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] as? JsonPrimitive)?.booleanOrNull ?: false
        return Page(records, nextLink, count, capped)
    }

    fun whoAmI(body: String): WhoAmI {
        val root = jsonObject(body, "WhoAmI")
        return WhoAmI(root.guid("UserId"), root.guid("BusinessUnitId"), root.guid("OrganizationId"))
    }

    fun JsonObject.requiredString(name: String, what: String): String =
        optionalString(name) ?: throw MalformedResponseException("The $what response lacks the string '$name'.")

    fun JsonObject.optionalString(name: String): String? =
        (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun JsonObject.guid(name: String): UUID {
        val text = requiredString(name, "WhoAmI")
        return parseGuidOrNull(text) ?: throw MalformedResponseException("'$name' is not a GUID: ${Identifiers.quote(text)}")
    }

}
