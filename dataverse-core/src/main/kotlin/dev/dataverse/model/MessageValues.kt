package dev.dataverse.model

import dev.dataverse.ColumnTypeException
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.MessageResult
import java.util.UUID

/**
 * Conversions that generated custom API requests and responses share: the check of a required request parameter and the
 * reading of response properties whose JSON form has no getter on [DataverseRecord] (entity references, string
 * arrays). Public because generated code lives in your packages; it is a stable part of the model runtime.
 */
public object MessageValues {
    private const val NAMESPACE = "Microsoft.Dynamics.CRM."

    /**
     * [value], checked to be set: a generated request calls it for each required parameter (`IsOptional` false), so a
     * missing one fails here, before anything is sent, rather than with the service's error after a round trip.
     *
     * @throws InvalidInputException naming [message] and [parameter] when [value] is `null`.
     */
    @JvmStatic
    public fun <T : Any> required(message: String, parameter: String, value: T?): T =
        value ?: throw InvalidInputException("The custom API '$message' needs its required parameter '$parameter'; it was not set.")

    /**
     * The response of a message as a record to read its properties from: [MessageResult.toRecord], or an empty record
     * when the message returned nothing (an action answering 204), so that every property reads as `null`.
     */
    @JvmStatic
    public fun response(result: MessageResult): DataverseRecord =
        if (result.isEmpty) DataverseRecord.fromJson(null, null, "{}") else result.toRecord()

    /**
     * An `EntityReference` response property. Its Web API type is `crmbaseentity` (Learn: "Create and use custom APIs",
     * custom API data types), so it is read as an entity: the table from `@odata.type`, else from [table] (the
     * property's `LogicalEntityName`); the id from the `<table>id` property, else from the one property that holds a GUID
     * (a table whose primary id is named otherwise, e.g. activities). Learn shows no example of this response, so the id
     * property's name is a guess; the fallback keeps the reading independent of it. `null` when the property is absent
     * or null.
     *
     * @throws ColumnTypeException when the property holds no object, or the table or the id cannot be found in it.
     */
    @JvmStatic
    public fun reference(record: DataverseRecord, property: String, table: String?): EntityReference? {
        val value = record.getExpanded(property)?.toMap() ?: return null
        val type = (value["@odata.type"] as? String)?.removePrefix("#")?.removePrefix(NAMESPACE)
        val logicalName = type?.takeIf { it.isNotEmpty() && '.' !in it } ?: table
            ?: throw ColumnTypeException("Response property '$property' is a reference without '@odata.type' and the snapshot names no table for it.", property, null)
        val id = (value["${logicalName}id"] as? String)?.let(::uuidOrNull)
            ?: value.filterKeys { '@' !in it }.values.mapNotNull { (it as? String)?.let(::uuidOrNull) }.singleOrNull()
            ?: throw ColumnTypeException("Response property '$property' is a reference to '$logicalName' without a single id: ${value.keys}.", property, null)
        return EntityReference(logicalName, id)
    }

    /**
     * A `StringArray` response property as a list; `null` when absent or null.
     *
     * @throws ColumnTypeException when it holds something else than an array of strings.
     */
    @JvmStatic
    public fun strings(record: DataverseRecord, property: String): List<String>? {
        val value = record.toMap()[property] ?: return null
        val list = value as? List<*> ?: throw ColumnTypeException("Response property '$property' holds $value, not an array of strings.", property, null)
        return list.map { it as? String ?: throw ColumnTypeException("Response property '$property' holds $it in its array, not a string.", property, null) }
    }

    private fun uuidOrNull(text: String): UUID? = try {
        UUID.fromString(text).takeIf { it.toString().equals(text, ignoreCase = true) }
    } catch (_: IllegalArgumentException) {
        null
    }
}
