package dev.dataverse.emulator.internal.metadata

import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.GlobalOptionSetDefinition
import dev.dataverse.emulator.internal.model.OptionDefinition
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.JsonUnquotedLiteral
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import dev.dataverse.emulator.internal.model.ManyToManyDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.OneToManyView
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID

/** Builds the metadata objects (`EntityMetadata`, attributes, keys, option sets) of table definitions. */
internal object MetadataDocuments {

    /**
     * The `EntityMetadata` of [table], with `Attributes`, `Keys` and its relationships in [catalog] as navigation
     * properties; key statuses are as of [now].
     */
    fun entity(table: TableDefinition, catalog: MetadataCatalog, now: Instant): MetadataNode = MetadataNode(
        MetadataTypes.ENTITY,
        linkedMapOf(
            "MetadataId" to text(table.metadataId.toString()),
            "LogicalName" to text(table.logicalName),
            "SchemaName" to text(table.schemaName),
            "EntitySetName" to text(table.entitySetName),
            "LogicalCollectionName" to text(table.entitySetName),
            "CollectionSchemaName" to text(table.schemaName + "s"),
            "PrimaryIdAttribute" to text(table.primaryIdAttribute),
            "PrimaryNameAttribute" to text(table.primaryNameAttribute),
            "DisplayName" to Labels.of(table.displayName, table.logicalName),
            "DisplayCollectionName" to Labels.of(table.displayCollectionName, table.logicalName),
            "Description" to Labels.empty(),
            "ObjectTypeCode" to (table.objectTypeCode?.let(::JsonPrimitive) ?: JsonNull),
            "IsCustomEntity" to JsonPrimitive(table.isCustomEntity),
            "IsPrivate" to JsonPrimitive(false),
            "IsActivity" to JsonPrimitive(false),
            "IsIntersect" to JsonPrimitive(false),
            "IsManaged" to JsonPrimitive(!table.isCustomEntity),
            "OwnershipType" to text(table.ownershipType),
            "HasNotes" to JsonPrimitive(true),
            "HasActivities" to JsonPrimitive(true),
            "TableType" to text(table.tableType),
            "ChangeTrackingEnabled" to JsonPrimitive(table.changeTrackingEnabled),
        ),
        mapOf(
            "Attributes" to MetadataNavigation.Many(MetadataTypes.ATTRIBUTE) { attributes(table) },
            "Keys" to MetadataNavigation.Many(MetadataTypes.KEY) { table.keys.map { key(table, it, now) } },
            "OneToManyRelationships" to MetadataNavigation.Many(MetadataTypes.ONE_TO_MANY) { oneToMany(catalog, table) },
            "ManyToOneRelationships" to MetadataNavigation.Many(MetadataTypes.ONE_TO_MANY) { manyToOne(catalog, table) },
            "ManyToManyRelationships" to MetadataNavigation.Many(MetadataTypes.MANY_TO_MANY) { manyToMany(catalog, table) },
        ),
    )

    /** The one-to-many relationships in which [table] is the referenced (one) side. */
    fun oneToMany(catalog: MetadataCatalog, table: TableDefinition): List<MetadataNode> =
        catalog.oneToManyRelationships().filter { it.referenced == table.logicalName }.map { relationship(catalog, it) }

    /** The one-to-many relationships in which [table] is the referencing (many) side: its lookups. */
    fun manyToOne(catalog: MetadataCatalog, table: TableDefinition): List<MetadataNode> =
        catalog.oneToManyRelationships().filter { it.referencing.logicalName == table.logicalName }.map { relationship(catalog, it) }

    /** The many-to-many relationships [table] takes part in. */
    fun manyToMany(catalog: MetadataCatalog, table: TableDefinition): List<MetadataNode> =
        catalog.manyToManyRelationships().filter { it.otherSide(table.logicalName) != null }.map(::relationship)

    /** Every relationship of [catalog], one-to-many first. */
    fun relationships(catalog: MetadataCatalog): List<MetadataNode> =
        catalog.oneToManyRelationships().map { relationship(catalog, it) } + catalog.manyToManyRelationships().map(::relationship)

    /** The `OneToManyRelationshipMetadata` of [view]. */
    fun relationship(catalog: MetadataCatalog, view: OneToManyView): MetadataNode {
        val referenced = catalog.table(view.referenced)
        return MetadataNode(
            MetadataTypes.ONE_TO_MANY,
            linkedMapOf(
                "MetadataId" to text(view.target.relationshipId.toString()),
                "SchemaName" to text(view.schemaName),
                "RelationshipType" to text("OneToManyRelationship"),
                "IsCustomRelationship" to JsonPrimitive(view.target.isCustom),
                "IsManaged" to JsonPrimitive(!view.target.isCustom),
                "IsValidForAdvancedFind" to JsonPrimitive(true),
                "SecurityTypes" to text("Append"),
                "ReferencedEntity" to text(view.referenced),
                "ReferencedAttribute" to text(referenced?.primaryIdAttribute ?: "${view.referenced}id"),
                "ReferencingEntity" to text(view.referencing.logicalName),
                "ReferencingAttribute" to text(view.column.logicalName),
                "ReferencedEntityNavigationPropertyName" to text(view.target.reverseNavigation),
                "ReferencingEntityNavigationPropertyName" to text(view.target.navigationProperty),
                "IsHierarchical" to JsonPrimitive(false),
                "CascadeConfiguration" to buildJsonObject { view.target.cascade.forEach { (name, value) -> put(name, value) } },
            ),
        )
    }

    /** The `ManyToManyRelationshipMetadata` of [relationship]. */
    fun relationship(relationship: ManyToManyDefinition): MetadataNode = MetadataNode(
        MetadataTypes.MANY_TO_MANY,
        linkedMapOf(
            "MetadataId" to text(relationship.metadataId.toString()),
            "SchemaName" to text(relationship.schemaName),
            "RelationshipType" to text("ManyToManyRelationship"),
            "IsCustomRelationship" to JsonPrimitive(relationship.isCustom),
            "IsManaged" to JsonPrimitive(!relationship.isCustom),
            "IsValidForAdvancedFind" to JsonPrimitive(true),
            "SecurityTypes" to text("None"),
            "Entity1LogicalName" to text(relationship.entity1),
            "Entity2LogicalName" to text(relationship.entity2),
            "IntersectEntityName" to text(relationship.intersectEntityName),
            "Entity1IntersectAttribute" to text("${relationship.entity1}id"),
            "Entity2IntersectAttribute" to text(if (relationship.entity1 == relationship.entity2) "${relationship.entity2}idtwo" else "${relationship.entity2}id"),
            "Entity1NavigationPropertyName" to text(relationship.entity1NavigationPropertyName),
            "Entity2NavigationPropertyName" to text(relationship.entity2NavigationPropertyName),
        ),
    )

    /** The attribute metadata of every column of [table]. */
    fun attributes(table: TableDefinition): List<MetadataNode> =
        table.columns.mapIndexed { index, column -> attribute(table, column, index + 1) }

    /** The `EntityKeyMetadata` of [key]. */
    fun key(table: TableDefinition, key: AlternateKeyDefinition, now: Instant): MetadataNode = MetadataNode(
        MetadataTypes.KEY,
        linkedMapOf(
            "MetadataId" to text(key.metadataId.toString()),
            "LogicalName" to text(key.logicalName),
            "SchemaName" to text(key.schemaName),
            "EntityLogicalName" to text(table.logicalName),
            "KeyAttributes" to JsonArray(key.keyAttributes.map(::text)),
            "EntityKeyIndexStatus" to text(key.status(now)),
            "DisplayName" to Labels.of(key.displayName, "${table.logicalName}.${key.logicalName}"),
            "IsManaged" to JsonPrimitive(false),
        ),
    )

    private fun attribute(table: TableDefinition, column: ColumnDefinition, number: Int): MetadataNode {
        val type = attributeType(column.type)
        val properties = LinkedHashMap<String, JsonElement>()
        properties["MetadataId"] = text(column.metadataId.toString())
        properties["LogicalName"] = text(column.logicalName)
        properties["SchemaName"] = text(column.schemaName)
        properties["EntityLogicalName"] = text(table.logicalName)
        properties["AttributeType"] = text(column.type.attributeType)
        properties["AttributeTypeName"] = buildJsonObject { put("Value", column.type.attributeTypeName) }
        properties["DisplayName"] = Labels.of(column.displayName, "${table.logicalName}.${column.logicalName}")
        properties["Description"] = Labels.empty()
        properties["IsPrimaryId"] = JsonPrimitive(column.logicalName == table.primaryIdAttribute)
        properties["IsPrimaryName"] = JsonPrimitive(column.logicalName == table.primaryNameAttribute)
        properties["IsValidForCreate"] = JsonPrimitive(column.validForCreate)
        properties["IsValidForUpdate"] = JsonPrimitive(column.validForUpdate)
        properties["IsValidForRead"] = JsonPrimitive(true)
        properties["IsCustomAttribute"] = JsonPrimitive(table.isCustomEntity || column.isCustom)
        properties["IsManaged"] = JsonPrimitive(!table.isCustomEntity)
        properties["RequiredLevel"] = requiredLevel(table, column)
        properties["AttributeOf"] = column.attributeOf?.let(::text) ?: JsonNull
        properties["ColumnNumber"] = JsonPrimitive(number)
        properties.putAll(derivedProperties(column))
        return MetadataNode(type, properties, optionSetNavigation(table, column))
    }

    private fun attributeType(type: ColumnType): MetadataType = when (type) {
        ColumnType.STRING -> MetadataTypes.STRING
        ColumnType.MEMO -> MetadataTypes.MEMO
        ColumnType.INTEGER -> MetadataTypes.INTEGER
        ColumnType.BIG_INT -> MetadataTypes.BIG_INT
        ColumnType.MONEY -> MetadataTypes.MONEY
        ColumnType.DECIMAL -> MetadataTypes.DECIMAL
        ColumnType.BOOLEAN -> MetadataTypes.BOOLEAN
        ColumnType.PICKLIST -> MetadataTypes.PICKLIST
        ColumnType.STATE -> MetadataTypes.STATE
        ColumnType.STATUS -> MetadataTypes.STATUS
        ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER -> MetadataTypes.LOOKUP
        ColumnType.DATE_TIME, ColumnType.DATE_ONLY -> MetadataTypes.DATE_TIME
        ColumnType.UNIQUE_IDENTIFIER -> MetadataTypes.UNIQUE_IDENTIFIER
        ColumnType.DOUBLE -> MetadataTypes.DOUBLE
        ColumnType.MULTI_SELECT_PICKLIST -> MetadataTypes.MULTI_SELECT_PICKLIST
        ColumnType.FILE -> MetadataTypes.FILE
        ColumnType.IMAGE -> MetadataTypes.IMAGE
    }

    private fun derivedProperties(column: ColumnDefinition): Map<String, JsonElement> = when (column.type) {
        ColumnType.STRING -> mapOf(
            "MaxLength" to JsonPrimitive(column.maxLength),
            "Format" to text(column.format ?: "Text"),
            "FormatName" to buildJsonObject { put("Value", column.format ?: "Text") },
            "DatabaseLength" to JsonPrimitive((column.maxLength ?: 0) * 2),
        )
        ColumnType.MEMO -> mapOf("MaxLength" to JsonPrimitive(column.maxLength), "Format" to text(column.format ?: "TextArea"))
        ColumnType.INTEGER -> range(column) + ("Format" to text("None"))
        ColumnType.BIG_INT -> range(column)
        ColumnType.MONEY -> range(column) + mapOf("Precision" to JsonPrimitive(column.precision), "PrecisionSource" to JsonPrimitive(2))
        ColumnType.DECIMAL -> range(column) + ("Precision" to JsonPrimitive(column.precision))
        ColumnType.BOOLEAN -> mapOf("DefaultValue" to JsonPrimitive(column.defaultValue as Boolean? ?: false))
        ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS ->
            mapOf("DefaultFormValue" to JsonPrimitive(column.defaultValue as Int? ?: -1))
        ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER -> mapOf("Targets" to JsonArray(column.targets.map { text(it.table) }.distinct()))
        ColumnType.DATE_TIME -> dateTime("DateAndTime", "UserLocal")
        ColumnType.DATE_ONLY -> dateTime("DateOnly", "DateOnly")
        ColumnType.UNIQUE_IDENTIFIER -> emptyMap()
        ColumnType.DOUBLE -> range(column) + ("Precision" to JsonPrimitive(column.precision))
        ColumnType.MULTI_SELECT_PICKLIST -> mapOf("DefaultFormValue" to JsonPrimitive(-1))
        ColumnType.FILE -> mapOf("MaxSizeInKB" to JsonPrimitive(column.maxSizeInKB))
        ColumnType.IMAGE -> mapOf(
            "MaxSizeInKB" to JsonPrimitive(column.maxSizeInKB),
            "MaxHeight" to JsonPrimitive(IMAGE_MAX_SIDE),
            "MaxWidth" to JsonPrimitive(IMAGE_MAX_SIDE),
            "IsPrimaryImage" to JsonPrimitive(false),
            "CanStoreFullImage" to JsonPrimitive(true),
        )
    }

    private fun dateTime(format: String, behavior: String): Map<String, JsonElement> =
        mapOf("Format" to text(format), "DateTimeBehavior" to buildJsonObject { put("Value", behavior) })

    private fun range(column: ColumnDefinition): Map<String, JsonElement> =
        mapOf("MinValue" to number(column.minValue), "MaxValue" to number(column.maxValue))

    private fun requiredLevel(table: TableDefinition, column: ColumnDefinition): JsonObject {
        val level = when {
            column.logicalName == table.primaryIdAttribute || column.type == ColumnType.STATE || column.type == ColumnType.STATUS -> "SystemRequired"
            column.logicalName == table.primaryNameAttribute && column.validForCreate -> "ApplicationRequired"
            else -> "None"
        }
        return buildJsonObject {
            put("Value", level)
            put("CanBeChanged", level != "SystemRequired")
            put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings")
        }
    }

    private fun optionSetNavigation(table: TableDefinition, column: ColumnDefinition): Map<String, MetadataNavigation> = when {
        column.type == ColumnType.BOOLEAN ->
            mapOf("OptionSet" to MetadataNavigation.One(MetadataTypes.BOOLEAN_OPTION_SET) { booleanOptionSet(table, column) })
        column.type.hasOptions -> buildMap {
            put("OptionSet", MetadataNavigation.One(MetadataTypes.OPTION_SET) { optionSet(table, column) })
            if (column.type == ColumnType.PICKLIST) {
                put("GlobalOptionSet", MetadataNavigation.One(MetadataTypes.OPTION_SET) { if (column.globalOptionSet != null) optionSet(table, column) else null })
            }
        }
        else -> emptyMap()
    }

    private fun optionSet(table: TableDefinition, column: ColumnDefinition): MetadataNode = MetadataNode(
        MetadataTypes.OPTION_SET,
        optionSetHeader(table, column, if (column.type == ColumnType.MULTI_SELECT_PICKLIST) "Picklist" else column.type.attributeType) + ("Options" to JsonArray(column.options.map { option(column, it) })),
    )

    private fun booleanOptionSet(table: TableDefinition, column: ColumnDefinition): MetadataNode = MetadataNode(
        MetadataTypes.BOOLEAN_OPTION_SET,
        optionSetHeader(table, column, "Boolean") + mapOf(
            "TrueOption" to option(column, column.option(1)!!),
            "FalseOption" to option(column, column.option(0)!!),
        ),
    )

    /** The `OptionSetMetadata` of the global choice [optionSet] (`GlobalOptionSetDefinitions`). */
    fun globalOptionSet(optionSet: GlobalOptionSetDefinition): MetadataNode = MetadataNode(
        MetadataTypes.OPTION_SET,
        linkedMapOf(
            "MetadataId" to text(optionSet.metadataId.toString()),
            "Name" to text(optionSet.name),
            "IsGlobal" to JsonPrimitive(true),
            "OptionSetType" to text("Picklist"),
            "DisplayName" to Labels.of(optionSet.displayName, "optionset.${optionSet.name}"),
            "Description" to (optionSet.description?.let { Labels.of(it, "optionset.${optionSet.name}.description") } ?: Labels.empty()),
            "IsCustomOptionSet" to JsonPrimitive(true),
            "IsManaged" to JsonPrimitive(false),
            "Options" to JsonArray(optionSet.options.map { option(null, it, "optionset.${optionSet.name}") }),
        ),
    )

    /** The MetadataId of the global choice [name]: stable, so that columns using it name the same id. */
    fun globalOptionSetId(name: String): UUID = StableIds.of("globaloptionset", name.lowercase())

    private fun optionSetHeader(table: TableDefinition, column: ColumnDefinition, optionSetType: String): Map<String, JsonElement> =
        if (column.globalOptionSet != null) {
            linkedMapOf(
                "MetadataId" to text(globalOptionSetId(column.globalOptionSet).toString()),
                "Name" to text(column.globalOptionSet),
                "IsGlobal" to JsonPrimitive(true),
                "OptionSetType" to text(optionSetType),
                "IsCustomOptionSet" to JsonPrimitive(true),
                "IsManaged" to JsonPrimitive(false),
            )
        } else linkedMapOf(
            "MetadataId" to text(StableIds.of("optionset", table.logicalName, column.logicalName).toString()),
            "Name" to text("${table.logicalName}_${column.logicalName}"),
            "IsGlobal" to JsonPrimitive(false),
            "OptionSetType" to text(optionSetType),
            "DisplayName" to Labels.of(column.displayName, "${table.logicalName}.${column.logicalName}.optionset"),
            "Description" to Labels.empty(),
            "IsCustomOptionSet" to JsonPrimitive(table.isCustomEntity),
            "IsManaged" to JsonPrimitive(!table.isCustomEntity),
        )

    private fun option(column: ColumnDefinition, option: OptionDefinition): JsonObject = option(column.type, option, column.metadataId.toString())

    private fun option(type: ColumnType?, option: OptionDefinition, labelScope: String): JsonObject = buildJsonObject {
        when (type) {
            ColumnType.STATE -> put("@odata.type", "#Microsoft.Dynamics.CRM.StateOptionMetadata")
            ColumnType.STATUS -> put("@odata.type", "#Microsoft.Dynamics.CRM.StatusOptionMetadata")
            else -> Unit
        }
        put("Value", option.value)
        put("Color", JsonNull)
        put("IsManaged", true)
        put("ExternalValue", JsonNull)
        put("IsHidden", false)
        put("MetadataId", JsonNull)
        put("HasChanged", JsonNull)
        option.defaultStatus?.let { put("DefaultStatus", it) }
        if (type == ColumnType.STATE) put("InvariantName", option.label)
        option.state?.let { put("State", it) }
        // An option without a label (a snapshot may have one) shows an empty label, as a label with no text in any language.
        put("Label", if (option.label.isEmpty()) Labels.empty() else Labels.of(option.label, "$labelScope.${option.value}"))
        put("Description", Labels.empty())
    }

    private const val IMAGE_MAX_SIDE = 144

    private fun text(value: String): JsonPrimitive = JsonPrimitive(value)

    @OptIn(ExperimentalSerializationApi::class)
    private fun number(value: BigDecimal?): JsonElement = value?.let { JsonUnquotedLiteral(it.toPlainString()) } ?: JsonNull
}
