package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.TableType
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.Responses.requiredString
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import java.util.UUID

/** What the client needs to know of a table to address its records. */
internal class TableMetadata(
    val logicalName: String,
    val entitySetName: String,
    val primaryIdAttribute: String,
    val primaryNameAttribute: String?,
    val schemaName: String?,
    /** Checked as a GUID when read: it goes into the paths of schema deletes. */
    val metadataId: UUID?,
    /** [TableType.ELASTIC] changes how records are keyed, deleted in bulk and counted; see [TableTypes]. */
    val tableType: TableType = TableType.STANDARD,
) {
    companion object {
        private const val SELECT = "MetadataId,LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,TableType"

        /** `EntityDefinitions?$select=...&$filter=LogicalName eq 'account'`, relative to the API root. */
        fun lookupPath(logicalName: String): String = "EntityDefinitions" + QueryStrings.queryString(
            listOf("\$select" to SELECT, "\$filter" to "LogicalName eq ${ODataLiterals.quote(logicalName)}"),
        )

        /**
         * `EntityDefinitions?$select=LogicalName&$filter=EntitySetName eq 'accounts'`: asked only after a lookup by logical
         * name found nothing, to tell a caller who passed an entity set name which logical name they meant.
         */
        fun entitySetLookupPath(entitySetName: String): String = "EntityDefinitions" + QueryStrings.queryString(
            listOf("\$select" to "LogicalName", "\$filter" to "EntitySetName eq ${ODataLiterals.quote(entitySetName)}"),
        )

        /** The `LogicalName` of the first entry of an [entitySetLookupPath] answer; `null` when there is none. */
        fun parseLogicalName(body: Body): String? {
            val values = Responses.jsonObject(body, "EntityDefinitions")["value"] as? JsonArray ?: return null
            return (values.firstOrNull() as? JsonObject)?.optionalString("LogicalName")
        }

        /** Parses the lookup's answer; `null` when the table does not exist (an empty `value`). */
        fun parse(body: Body, logicalName: String): TableMetadata? {
            val values = Responses.jsonObject(body, "EntityDefinitions")["value"] as? JsonArray
                ?: throw MalformedResponseException("The EntityDefinitions response has no 'value' array.")
            val definition = values.firstOrNull() as? JsonObject ?: return null
            val entitySet = definition.requiredString("EntitySetName", "EntityDefinitions")
            val primaryId = definition.requiredString("PrimaryIdAttribute", "EntityDefinitions")
            if (!Identifiers.isIdentifier(entitySet) || !Identifiers.isIdentifier(primaryId)) {
                throw MalformedResponseException("EntityDefinitions returned invalid names for '$logicalName': $entitySet, $primaryId")
            }
            return TableMetadata(
                logicalName = definition.optionalString("LogicalName") ?: logicalName,
                entitySetName = entitySet,
                primaryIdAttribute = primaryId,
                primaryNameAttribute = definition.optionalString("PrimaryNameAttribute"),
                schemaName = definition.optionalString("SchemaName"),
                metadataId = definition.optionalString("MetadataId")?.let { ServerValues.guid(it, "the MetadataId of '$logicalName'") },
                tableType = TableTypes.parse(definition.optionalString("TableType")),
            )
        }
    }
}
