package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.Responses.requiredString
import dev.dataverse.schema.AlternateKeySchema
import dev.dataverse.schema.ChoiceOptionSchema
import dev.dataverse.schema.ChoiceSchema
import dev.dataverse.schema.ColumnSchema
import dev.dataverse.schema.CustomApiBindingType
import dev.dataverse.schema.CustomApiParameterSchema
import dev.dataverse.schema.CustomApiPropertySchema
import dev.dataverse.schema.CustomApiSchema
import dev.dataverse.schema.LookupTargetSchema
import dev.dataverse.schema.RelationshipKind
import dev.dataverse.schema.RelationshipSchema
import dev.dataverse.schema.TableSchema
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.intOrNull
import java.math.BigDecimal

/**
 * The reads a schema snapshot is exported from, and their answers turned into the snapshot model. Pure.
 *
 * Per table (Learn: "Retrieve table definitions by name or MetadataId", "Query table definitions using the Web API"):
 * the definition (`EntityDefinitions(LogicalName='x')?$select=...`), every column (`.../Attributes`, whose items carry
 * the properties of their derived type), the options of each kind of choice column through its cast
 * (`.../Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet`, and the same
 * for `MultiSelectPicklistAttributeMetadata`, `StateAttributeMetadata`, `StatusAttributeMetadata` and
 * `BooleanAttributeMetadata`), the alternate keys (`.../Keys`) and the three relationship lists.
 *
 * Custom APIs (Learn: "CustomAPI tables", retrieve data about custom APIs): `customapis?$select=...&$filter=...&$expand=
 * CustomAPIRequestParameters($select=...),CustomAPIResponseProperties($select=...)`.
 */
internal object SnapshotCodec {
    /** The kinds of column whose options are read through a cast. */
    enum class ChoiceCast(val castType: String) {
        PICKLIST("PicklistAttributeMetadata"),
        MULTI_SELECT("MultiSelectPicklistAttributeMetadata"),
        STATE("StateAttributeMetadata"),
        STATUS("StatusAttributeMetadata"),
        BOOLEAN("BooleanAttributeMetadata"),
    }

    /** `GET EntityDefinitions(LogicalName='x')?$select=<table properties>`. */
    fun table(name: TableName): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + QueryStrings.queryString(listOf("\$select" to SchemaCodec.TABLE_SELECT)))

    /** `GET EntityDefinitions(LogicalName='x')/Attributes`: every column, with the properties of its derived type. */
    fun attributes(name: TableName): ApiRequest = ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/Attributes")

    /** `GET .../Attributes/Microsoft.Dynamics.CRM.<cast>?$select=LogicalName&$expand=OptionSet`. */
    fun choices(name: TableName, cast: ChoiceCast): ApiRequest = ApiRequest(
        HttpMethod.Get,
        MetadataPaths.entity(name.value) + "/Attributes/Microsoft.Dynamics.CRM.${cast.castType}" +
            QueryStrings.queryString(listOf("\$select" to "LogicalName", "\$expand" to "OptionSet")),
    )

    /** `GET .../Keys?$select=LogicalName,KeyAttributes`. */
    fun keys(name: TableName): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/Keys" + QueryStrings.queryString(listOf("\$select" to "LogicalName,KeyAttributes")))

    /** `GET .../OneToManyRelationships`, `ManyToOneRelationships` or `ManyToManyRelationships`. */
    fun relationships(name: TableName, list: SchemaCodec.RelationshipList): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/" + list.segment)

    /** The options of each choice column of a [choices] answer, by column logical name. */
    fun choices(response: ApiResponse, cast: ChoiceCast): Map<String, ChoiceSchema> =
        SchemaResponses.values(response.body, "Attributes").associate { json ->
            val column = json.requiredString("LogicalName", WHAT_COLUMN)
            val optionSet = json["OptionSet"] as? JsonObject
                ?: throw MalformedResponseException("The attribute '$column' has no 'OptionSet'.")
            val items = if (cast == ChoiceCast.BOOLEAN) {
                listOfNotNull(optionSet["FalseOption"] as? JsonObject, optionSet["TrueOption"] as? JsonObject)
            } else {
                (optionSet["Options"] as? JsonArray)?.map { it as? JsonObject ?: throw MalformedResponseException("An option of '$column' is not an object.") }
                    ?: throw MalformedResponseException("The option set of '$column' has no 'Options'.")
            }
            val options = items.map { item ->
                val value = (item["Value"] as? JsonPrimitive)?.takeUnless { it.isString }?.intOrNull
                    ?: throw MalformedResponseException("An option of '$column' has no integer 'Value'.")
                ChoiceOptionSchema(value, rawLabel(item["Label"]))
            }.distinctBy { it.value }
            val global = (optionSet["IsGlobal"] as? JsonPrimitive)?.booleanOrNull == true
            column.lowercase() to ChoiceSchema(options, if (global) optionSet.optionalString("Name") else null)
        }

    /** The logical names and columns of a [keys] answer. */
    fun keys(response: ApiResponse): List<AlternateKeySchema> = SchemaResponses.values(response.body, "Keys").map { json ->
        val columns = (json["KeyAttributes"] as? JsonArray)?.map {
            (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw MalformedResponseException("KeyAttributes holds a non-string.")
        } ?: throw MalformedResponseException("The Keys response lacks the array 'KeyAttributes'.")
        AlternateKeySchema(json.requiredString("LogicalName", "Keys"), columns)
    }

    /** The relationships of one list of [table], as the snapshot records them (seen from [table]). */
    fun relationships(response: ApiResponse, list: SchemaCodec.RelationshipList, table: String): List<RelationshipSchema> =
        SchemaResponses.values(response.body, "Relationships").map { json ->
            val schemaName = json.requiredString("SchemaName", WHAT_RELATIONSHIP)
            when (list) {
                SchemaCodec.RelationshipList.MANY_TO_MANY -> {
                    val entity1 = json.requiredString("Entity1LogicalName", WHAT_RELATIONSHIP)
                    RelationshipSchema(
                        schemaName, RelationshipKind.MANY_TO_MANY,
                        entity1, json.requiredString("Entity1IntersectAttribute", WHAT_RELATIONSHIP),
                        json.requiredString("Entity2LogicalName", WHAT_RELATIONSHIP), json.requiredString("Entity2IntersectAttribute", WHAT_RELATIONSHIP),
                        json.optionalString(if (entity1.equals(table, ignoreCase = true)) "Entity1NavigationPropertyName" else "Entity2NavigationPropertyName"),
                        json.requiredString("IntersectEntityName", WHAT_RELATIONSHIP),
                    )
                }
                else -> {
                    val oneToMany = list == SchemaCodec.RelationshipList.ONE_TO_MANY
                    RelationshipSchema(
                        schemaName, if (oneToMany) RelationshipKind.ONE_TO_MANY else RelationshipKind.MANY_TO_ONE,
                        json.requiredString("ReferencedEntity", WHAT_RELATIONSHIP), json.requiredString("ReferencedAttribute", WHAT_RELATIONSHIP),
                        json.requiredString("ReferencingEntity", WHAT_RELATIONSHIP), json.requiredString("ReferencingAttribute", WHAT_RELATIONSHIP),
                        json.optionalString(if (oneToMany) "ReferencedEntityNavigationPropertyName" else "ReferencingEntityNavigationPropertyName"),
                    )
                }
            }
        }

    /**
     * The table of a [table] answer with its [columns], [keys] and [relationships]. `OwnershipType` and `TableType` are
     * kept as the service names them.
     */
    fun table(response: ApiResponse, columns: List<ColumnSchema>, keys: List<AlternateKeySchema>, relationships: List<RelationshipSchema>): TableSchema {
        val json = Responses.jsonObject(response.body, WHAT_TABLE)
        return TableSchema(
            logicalName = json.requiredString("LogicalName", WHAT_TABLE),
            schemaName = json.requiredString("SchemaName", WHAT_TABLE),
            entitySetName = json.requiredString("EntitySetName", WHAT_TABLE),
            primaryIdColumn = json.requiredString("PrimaryIdAttribute", WHAT_TABLE),
            primaryNameColumn = json.optionalString("PrimaryNameAttribute")?.takeIf { it.isNotBlank() },
            displayName = SchemaResponses.label(json["DisplayName"]),
            displayCollectionName = SchemaResponses.label(json["DisplayCollectionName"]),
            tableType = json.optionalString("TableType")?.takeIf { it.isNotBlank() } ?: "Standard",
            ownership = json.optionalString("OwnershipType")?.takeIf { it.isNotBlank() },
            isCustom = json.flag("IsCustomEntity") ?: false,
            changeTrackingEnabled = json.flag("ChangeTrackingEnabled") ?: false,
            columns = columns,
            alternateKeys = keys,
            relationships = relationships,
        )
    }

    /**
     * The columns of an [attributes] answer, with their options ([choices], by logical name) and lookup targets, whose
     * navigation properties come from the table's many-to-one relationships ([manyToOne]). Supporting columns the
     * service computes for another column (`AttributeOf` set: `<lookup>name`, `<file>_name`, ...) are left out: they are
     * read-only shadows of the column they belong to.
     */
    fun columns(response: ApiResponse, choices: Map<String, ChoiceSchema>, manyToOne: List<RelationshipSchema>): List<ColumnSchema> =
        SchemaResponses.values(response.body, WHAT_COLUMN)
            .filter { json -> json.optionalString("AttributeOf").isNullOrBlank() }
            .map { json -> column(json, choices, manyToOne) }

    private fun column(json: JsonObject, choices: Map<String, ChoiceSchema>, manyToOne: List<RelationshipSchema>): ColumnSchema {
        val logicalName = json.requiredString("LogicalName", WHAT_COLUMN)
        val attributeType = attributeType(json)
        val targets = (json["Targets"] as? JsonArray)?.mapNotNull { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content }.orEmpty()
            .distinct()
            .map { target ->
                val relationship = manyToOne.firstOrNull {
                    it.referencingColumn.equals(logicalName, ignoreCase = true) && it.referencedTable.equals(target, ignoreCase = true)
                }
                LookupTargetSchema(target, relationship?.navigationProperty)
            }
        val format = when (attributeType) {
            "String" -> (json["FormatName"] as? JsonObject)?.optionalString("Value") ?: json.optionalString("Format")
            "DateTime" -> json.optionalString("Format")
            else -> null
        }
        return ColumnSchema(
            logicalName = logicalName,
            schemaName = json.requiredString("SchemaName", WHAT_COLUMN),
            attributeType = attributeType,
            displayName = SchemaResponses.label(json["DisplayName"]),
            requiredLevel = (json["RequiredLevel"] as? JsonObject)?.optionalString("Value")?.takeIf { it.isNotBlank() },
            isPrimaryId = json.flag("IsPrimaryId") ?: false,
            isPrimaryName = json.flag("IsPrimaryName") ?: false,
            isCustom = json.flag("IsCustomAttribute") ?: false,
            validForCreate = json.flag("IsValidForCreate") ?: false,
            validForUpdate = json.flag("IsValidForUpdate") ?: false,
            validForRead = json.flag("IsValidForRead") ?: false,
            maxLength = json.number("MaxLength")?.toInt()?.takeIf { attributeType == "String" || attributeType == "Memo" },
            minValue = json.number("MinValue"),
            maxValue = json.number("MaxValue"),
            precision = json.number("Precision")?.toInt(),
            maxSizeInKB = json.number("MaxSizeInKB")?.toInt(),
            format = format?.takeIf { it.isNotBlank() },
            dateTimeBehavior = (json["DateTimeBehavior"] as? JsonObject)?.optionalString("Value")?.takeIf { attributeType == "DateTime" && it.isNotBlank() },
            choice = choices[logicalName.lowercase()],
            targets = targets,
        )
    }

    /**
     * `AttributeType`, except the kinds the service reports as `Virtual` and tells apart by `AttributeTypeName`
     * (Learn: "Column data types"): multi-select choices, files and images.
     */
    fun attributeType(json: JsonObject): String {
        val typeName = (json["AttributeTypeName"] as? JsonObject)?.optionalString("Value")
        val odataType = json.optionalString("@odata.type")?.substringAfterLast('.')
        return when {
            typeName == "MultiSelectPicklistType" || odataType == "MultiSelectPicklistAttributeMetadata" -> "MultiSelectPicklist"
            typeName == "FileType" || odataType == "FileAttributeMetadata" -> "File"
            typeName == "ImageType" || odataType == "ImageAttributeMetadata" -> "Image"
            else -> json.requiredString("AttributeType", WHAT_COLUMN)
        }
    }

    /** The largest number of custom API names one request filters on, keeping the URL short. */
    const val CUSTOM_API_CHUNK: Int = 20

    /**
     * `GET customapis?$select=uniquename,bindingtype,boundentitylogicalname,isfunction&$filter=uniquename eq 'a' or ...
     * &$expand=CustomAPIRequestParameters($select=uniquename,type,logicalentityname,isoptional),
     * CustomAPIResponseProperties($select=uniquename,type,logicalentityname)`, the query Learn's "CustomAPI tables" gives.
     */
    fun customApis(uniqueNames: List<String>): ApiRequest {
        val filter = uniqueNames.joinToString(" or ") { "uniquename eq ${ODataLiterals.quote(it)}" }
        return ApiRequest(
            HttpMethod.Get,
            "customapis" + QueryStrings.queryString(
                listOf(
                    "\$select" to "uniquename,bindingtype,boundentitylogicalname,isfunction",
                    "\$filter" to filter,
                    "\$expand" to "CustomAPIRequestParameters(\$select=uniquename,type,logicalentityname,isoptional)," +
                        "CustomAPIResponseProperties(\$select=uniquename,type,logicalentityname)",
                ),
            ),
        )
    }

    /** The custom APIs of a [customApis] answer. */
    fun customApis(response: ApiResponse): List<CustomApiSchema> = SchemaResponses.values(response.body, WHAT_API).map { json ->
        val uniqueName = json.requiredString("uniquename", WHAT_API)
        val binding = json.number("bindingtype")?.toInt() ?: 0
        CustomApiSchema(
            uniqueName,
            CustomApiBindingType.values().firstOrNull { it.value() == binding }
                ?: throw MalformedResponseException("The custom API '$uniqueName' has the unknown binding type $binding."),
            json.optionalString("boundentitylogicalname")?.takeIf { it.isNotBlank() },
            json.flag("isfunction") ?: false,
            items(json, "CustomAPIRequestParameters", uniqueName).map {
                CustomApiParameterSchema(it.requiredString("uniquename", WHAT_API), parameterType(it, uniqueName), it.flag("isoptional") ?: false, it.entity())
            },
            items(json, "CustomAPIResponseProperties", uniqueName).map {
                CustomApiPropertySchema(it.requiredString("uniquename", WHAT_API), parameterType(it, uniqueName), it.entity())
            },
        )
    }

    /** Learn's names of the `Type` choice of request parameters and response properties, by option value. */
    val PARAMETER_TYPES: List<String> = listOf(
        "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money",
        "Picklist", "String", "StringArray", "Guid",
    )

    /** A custom API unique name: letters, digits and underscores, as the service requires. */
    fun requireCustomApiName(name: String): String {
        if (!CUSTOM_API_NAME.matches(name)) {
            throw InvalidInputException("'$name' is not a custom API unique name: letters, digits and underscores, starting with a letter or underscore.")
        }
        return name
    }

    private val CUSTOM_API_NAME = Regex("[A-Za-z_][A-Za-z0-9_]*")

    private fun parameterType(json: JsonObject, api: String): String {
        val value = json.number("type")?.toInt() ?: throw MalformedResponseException("A parameter of the custom API '$api' has no 'type'.")
        return PARAMETER_TYPES.getOrNull(value) ?: throw MalformedResponseException("A parameter of the custom API '$api' has the unknown type $value.")
    }

    private fun JsonObject.entity(): String? = optionalString("logicalentityname")?.takeIf { it.isNotBlank() }

    private fun items(json: JsonObject, navigation: String, api: String): List<JsonObject> =
        (json[navigation] as? JsonArray)?.map { it as? JsonObject ?: throw MalformedResponseException("'$navigation' of '$api' holds a non-object.") }
            ?: throw MalformedResponseException("The custom API '$api' came without '$navigation'.")

    /** A label's text as it is (blank labels kept: a snapshot records what the environment has). */
    private fun rawLabel(element: Any?): String? {
        val label = element as? JsonObject ?: return null
        val user = (label["UserLocalizedLabel"] as? JsonObject)?.optionalString("Label")
        return user ?: ((label["LocalizedLabels"] as? JsonArray)?.firstOrNull() as? JsonObject)?.optionalString("Label")
    }

    private fun JsonObject.flag(name: String): Boolean? = (this[name] as? JsonPrimitive)?.takeUnless { it is JsonNull || it.isString }?.booleanOrNull

    private fun JsonObject.number(name: String): BigDecimal? =
        (this[name] as? JsonPrimitive)?.takeUnless { it is JsonNull || it.isString }?.content?.toBigDecimalOrNull()

    private const val WHAT_TABLE = "EntityDefinitions"
    private const val WHAT_COLUMN = "Attributes"
    private const val WHAT_RELATIONSHIP = "RelationshipDefinitions"
    private const val WHAT_API = "customapis"
}
