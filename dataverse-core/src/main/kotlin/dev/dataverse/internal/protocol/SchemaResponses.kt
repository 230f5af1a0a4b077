package dev.dataverse.internal.protocol

import dev.dataverse.AlternateKeyInfo
import dev.dataverse.ChoiceOption
import dev.dataverse.ChoiceOptions
import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnType
import dev.dataverse.KeyIndexStatus
import dev.dataverse.MalformedResponseException
import dev.dataverse.RelationshipInfo
import dev.dataverse.RelationshipType
import dev.dataverse.RequiredLevel
import dev.dataverse.TableInfo
import dev.dataverse.TableOwnership
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.Responses.requiredString
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import java.math.BigDecimal
import java.util.UUID

/**
 * Parses metadata responses into [TableInfo], [ColumnInfo], [RelationshipInfo], [AlternateKeyInfo] and
 * [ChoiceOptions]. Tolerant of properties it does not know; a missing required property is a
 * [MalformedResponseException] naming it.
 */
internal object SchemaResponses {

    /** The objects of a collection response's `value`. */
    fun values(body: Body, what: String): List<JsonObject> {
        val values = Responses.jsonObject(body, what)["value"] as? JsonArray
            ?: throw MalformedResponseException("The $what response has no 'value' array.")
        return values.map { it as? JsonObject ?: throw MalformedResponseException("The $what response has a non-object item.") }
    }

    fun table(json: JsonObject): TableInfo = TableInfo(
        logicalName = json.requiredString("LogicalName", WHAT_TABLE),
        schemaName = json.requiredString("SchemaName", WHAT_TABLE),
        entitySetName = json.requiredString("EntitySetName", WHAT_TABLE),
        primaryIdAttribute = json.requiredString("PrimaryIdAttribute", WHAT_TABLE),
        primaryNameAttribute = json.optionalString("PrimaryNameAttribute"),
        displayName = label(json["DisplayName"]),
        displayCollectionName = label(json["DisplayCollectionName"]),
        isCustom = json.boolean("IsCustomEntity") ?: false,
        ownership = when (json.optionalString("OwnershipType")) {
            "UserOwned", "TeamOwned" -> TableOwnership.USER_OWNED
            "OrganizationOwned" -> TableOwnership.ORGANIZATION_OWNED
            else -> null
        },
        metadataId = json.guid("MetadataId", WHAT_TABLE),
        changeTrackingEnabled = json.boolean("ChangeTrackingEnabled") ?: false,
        tableType = TableTypes.parse(json.optionalString("TableType")),
    )

    fun column(json: JsonObject): ColumnInfo {
        val attributeType = json.requiredString("AttributeType", WHAT_COLUMN)
        val type = columnType(attributeType, json.optionalString("@odata.type"), json.optionalString("Format"))
        return ColumnInfo(
            logicalName = json.requiredString("LogicalName", WHAT_COLUMN),
            schemaName = json.requiredString("SchemaName", WHAT_COLUMN),
            type = type,
            attributeType = attributeType,
            displayName = label(json["DisplayName"]),
            isCustom = json.boolean("IsCustomAttribute") ?: false,
            isPrimaryId = json.boolean("IsPrimaryId") ?: false,
            isPrimaryName = json.boolean("IsPrimaryName") ?: false,
            requiredLevel = when ((json["RequiredLevel"] as? JsonObject)?.optionalString("Value")) {
                "None" -> RequiredLevel.NONE
                "Recommended" -> RequiredLevel.RECOMMENDED
                "ApplicationRequired" -> RequiredLevel.REQUIRED
                "SystemRequired" -> RequiredLevel.SYSTEM_REQUIRED
                else -> null
            },
            maxLength = json.number("MaxLength")?.toInt(),
            minValue = json.number("MinValue"),
            maxValue = json.number("MaxValue"),
            precision = json.number("Precision")?.toInt(),
            maxSizeInKB = json.number("MaxSizeInKB")?.toInt(),
            targets = (json["Targets"] as? JsonArray)?.mapNotNull { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content }.orEmpty(),
            isValidForCreate = json.boolean("IsValidForCreate") ?: false,
            isValidForUpdate = json.boolean("IsValidForUpdate") ?: false,
            metadataId = json.guid("MetadataId", WHAT_COLUMN),
        )
    }

    /** The kind of column an attribute's `AttributeType`, `@odata.type` and (date-time) `Format` describe. */
    fun columnType(attributeType: String, odataType: String?, format: String?): ColumnType = when (attributeType) {
        "String" -> ColumnType.STRING
        "Memo" -> ColumnType.MEMO
        "Integer" -> ColumnType.INTEGER
        "BigInt" -> ColumnType.BIG_INT
        "Decimal" -> ColumnType.DECIMAL
        "Double" -> ColumnType.DOUBLE
        "Money" -> ColumnType.MONEY
        "Boolean" -> ColumnType.BOOLEAN
        "DateTime" -> if (format == "DateOnly") ColumnType.DATE_ONLY else ColumnType.DATE_TIME
        "Picklist" -> ColumnType.CHOICE
        "State" -> ColumnType.STATE
        "Status" -> ColumnType.STATUS
        "Lookup" -> ColumnType.LOOKUP
        "Customer" -> ColumnType.CUSTOMER
        "Owner" -> ColumnType.OWNER
        "Uniqueidentifier" -> ColumnType.UNIQUE_IDENTIFIER
        else -> when (odataType?.substringAfterLast('.')) {
            "MultiSelectPicklistAttributeMetadata" -> ColumnType.MULTI_CHOICE
            "FileAttributeMetadata" -> ColumnType.FILE
            "ImageAttributeMetadata" -> ColumnType.IMAGE
            else -> ColumnType.OTHER
        }
    }

    fun relationship(json: JsonObject): RelationshipInfo {
        val odataType = json.optionalString("@odata.type")?.substringAfterLast('.')
        val manyToMany = odataType == "ManyToManyRelationshipMetadata" ||
            (odataType == null && json.optionalString("RelationshipType") == "ManyToManyRelationship") ||
            (odataType == null && json.containsKey("Entity1LogicalName"))
        val schemaName = json.requiredString("SchemaName", WHAT_RELATIONSHIP)
        return if (manyToMany) {
            RelationshipInfo(
                schemaName, RelationshipType.MANY_TO_MANY, null, null, null, null, null, null,
                table1 = json.requiredString("Entity1LogicalName", WHAT_RELATIONSHIP),
                table2 = json.requiredString("Entity2LogicalName", WHAT_RELATIONSHIP),
                table1NavigationProperty = json.optionalString("Entity1NavigationPropertyName"),
                table2NavigationProperty = json.optionalString("Entity2NavigationPropertyName"),
                intersectTable = json.optionalString("IntersectEntityName"),
                isCustom = json.boolean("IsCustomRelationship") ?: false,
                metadataId = json.guid("MetadataId", WHAT_RELATIONSHIP),
            )
        } else {
            RelationshipInfo(
                schemaName, RelationshipType.ONE_TO_MANY,
                referencedTable = json.requiredString("ReferencedEntity", WHAT_RELATIONSHIP),
                referencedAttribute = json.optionalString("ReferencedAttribute"),
                referencingTable = json.requiredString("ReferencingEntity", WHAT_RELATIONSHIP),
                referencingAttribute = json.optionalString("ReferencingAttribute"),
                referencedNavigationProperty = json.optionalString("ReferencedEntityNavigationPropertyName"),
                referencingNavigationProperty = json.optionalString("ReferencingEntityNavigationPropertyName"),
                table1 = null, table2 = null, table1NavigationProperty = null, table2NavigationProperty = null, intersectTable = null,
                isCustom = json.boolean("IsCustomRelationship") ?: false,
                metadataId = json.guid("MetadataId", WHAT_RELATIONSHIP),
            )
        }
    }

    fun key(json: JsonObject): AlternateKeyInfo {
        val columns = (json["KeyAttributes"] as? JsonArray)?.map {
            (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw MalformedResponseException("KeyAttributes holds a non-string.")
        } ?: throw MalformedResponseException("The $WHAT_KEY response lacks the array 'KeyAttributes'.")
        val status = when (val text = json.requiredString("EntityKeyIndexStatus", WHAT_KEY)) {
            "Pending" -> KeyIndexStatus.PENDING
            "InProgress" -> KeyIndexStatus.IN_PROGRESS
            "Active" -> KeyIndexStatus.ACTIVE
            "Failed" -> KeyIndexStatus.FAILED
            else -> throw MalformedResponseException("Unknown EntityKeyIndexStatus '$text'.")
        }
        return AlternateKeyInfo(
            schemaName = json.requiredString("SchemaName", WHAT_KEY),
            logicalName = json.requiredString("LogicalName", WHAT_KEY),
            columns = columns,
            displayName = label(json["DisplayName"]),
            status = status,
            metadataId = json.guid("MetadataId", WHAT_KEY),
        )
    }

    /**
     * The options of one attribute read with `$expand=OptionSet`: `Options` for choices, multi-select choices, state
     * and status, `TrueOption`/`FalseOption` for yes/no columns. Options without a label are skipped (the service
     * has none for hidden options in some languages); a missing `OptionSet` is malformed.
     */
    fun options(table: String, json: JsonObject, multiSelect: Boolean): ChoiceOptions {
        val column = json.requiredString("LogicalName", WHAT_COLUMN)
        val optionSet = json["OptionSet"] as? JsonObject
            ?: throw MalformedResponseException("The attribute '$column' has no 'OptionSet'.")
        val items = (optionSet["Options"] as? JsonArray)?.mapNotNull { it as? JsonObject }
            ?: listOfNotNull(optionSet["TrueOption"] as? JsonObject, optionSet["FalseOption"] as? JsonObject)
        val options = items.mapNotNull { item ->
            val value = item.number("Value")?.toInt() ?: throw MalformedResponseException("An option of '$column' has no 'Value'.")
            label(item["Label"])?.let { ChoiceOption(value, it) }
        }
        return ChoiceOptions(table, column, multiSelect, options)
    }

    /** The text of a `Label`: `UserLocalizedLabel.Label`, else the first `LocalizedLabels[].Label`; null when none. */
    fun label(element: Any?): String? {
        val label = element as? JsonObject ?: return null
        val user = (label["UserLocalizedLabel"] as? JsonObject)?.optionalString("Label")
        val first = ((label["LocalizedLabels"] as? JsonArray)?.firstOrNull() as? JsonObject)?.optionalString("Label")
        return (user ?: first)?.takeIf { it.isNotBlank() }
    }

    private fun JsonObject.boolean(name: String): Boolean? = (this[name] as? JsonPrimitive)?.takeUnless { it is JsonNull }?.booleanOrNull

    private fun JsonObject.number(name: String): BigDecimal? =
        (this[name] as? JsonPrimitive)?.takeUnless { it is JsonNull || it.isString }?.content?.toBigDecimalOrNull()

    private fun JsonObject.guid(name: String, what: String): UUID {
        val text = requiredString(name, what)
        return parseGuidOrNull(text) ?: throw MalformedResponseException("'$name' of the $what response is not a GUID: ${Identifiers.quote(text)}")
    }

    private const val WHAT_TABLE = "EntityDefinitions"
    private const val WHAT_COLUMN = "Attributes"
    private const val WHAT_RELATIONSHIP = "RelationshipDefinitions"
    private const val WHAT_KEY = "Keys"
}
