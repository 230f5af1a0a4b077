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
     * An elastic table's record: `contoso_sensordatas(contoso_sensordataid=<guid>,partitionid='device-001')` (Learn: "Use
     * elastic tables using code", update response).
     */
    private val PARTITIONED_ENTITY_ID =
        Regex("\\([A-Za-z_][A-Za-z0-9_]*=([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}),partitionid=", RegexOption.IGNORE_CASE)
    private val ENTITY_ID = Regex("\\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\)\\s*$")

    /**
     * The GUID at the end of an `OData-EntityId` (or `Location`) header, e.g. `.../accounts(7b1c...)`. When the client
     * chose the record's id itself ([expected]), a header naming another record is refused: it answers some other
     * request, and returning its id would point the caller at a record it did not write.
     */
    fun entityId(header: String?, expected: UUID? = null): UUID {
        val value = header ?: throw MalformedResponseException("The response has no OData-EntityId header, so the record's id is unknown.")
        val match = ENTITY_ID.find(value) ?: PARTITIONED_ENTITY_ID.find(value)
            ?: throw MalformedResponseException("The OData-EntityId header ${Identifiers.quote(value)} does not end with a record id.")
        val id = UUID.fromString(match.groupValues[1])
        if (expected != null && id != expected) {
            throw MalformedResponseException("The OData-EntityId header names record $id, but the request wrote record $expected.")
        }
        return id
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
