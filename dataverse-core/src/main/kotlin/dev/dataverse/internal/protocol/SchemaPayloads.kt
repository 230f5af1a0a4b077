package dev.dataverse.internal.protocol

import dev.dataverse.AlternateKeySpec
import dev.dataverse.CascadeConfiguration
import dev.dataverse.CascadeType
import dev.dataverse.ColumnSpec
import dev.dataverse.ColumnType
import dev.dataverse.ManyToManySpec
import dev.dataverse.OneToManySpec
import dev.dataverse.RequiredLevel
import dev.dataverse.TableOwnership
import dev.dataverse.TableType
import dev.dataverse.TableSpec
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * The metadata bodies the client POSTs (WIRE.md §7): `EntityMetadata` with its attributes, one attribute of each type,
 * one-to-many and many-to-many relationships, alternate keys. Pure; the specs were validated when they were built.
 */
internal object SchemaPayloads {
    private const val NS = "Microsoft.Dynamics.CRM."
    private const val ENGLISH = 1033

    /** The `Label` complex type with one English label. */
    fun label(text: String): JsonObject = buildJsonObject {
        put("@odata.type", "${NS}Label")
        put(
            "LocalizedLabels",
            JsonArray(
                listOf(
                    buildJsonObject {
                        put("@odata.type", "${NS}LocalizedLabel")
                        put("Label", text)
                        put("LanguageCode", ENGLISH)
                    },
                ),
            ),
        )
    }

    /** `POST EntityDefinitions`: the table with its primary name and every non-lookup column (lookups follow as relationships). */
    fun table(spec: TableSpec): JsonObject = buildJsonObject {
        put("@odata.type", "${NS}EntityMetadata")
        put("SchemaName", spec.schemaName)
        put("DisplayName", label(spec.displayName))
        put("DisplayCollectionName", label(spec.displayCollectionName))
        spec.description?.let { put("Description", label(it)) }
        put("OwnershipType", if (spec.ownership == TableOwnership.ORGANIZATION_OWNED) "OrganizationOwned" else "UserOwned")
        put("HasActivities", spec.hasActivities)
        put("HasNotes", spec.hasNotes)
        put("IsActivity", false)
        if (spec.changeTrackingEnabled) put("ChangeTrackingEnabled", true)
        // Sent only for elastic tables: Standard is the service's default, and older bodies stay as they were.
        if (spec.tableType != TableType.STANDARD) put("TableType", TableTypes.wireName(spec.tableType))
        val attributes = listOf(attribute(spec.primaryName, primaryName = true)) +
            spec.columns.filter { it.type != ColumnType.LOOKUP }.map { attribute(it) }
        put("Attributes", JsonArray(attributes))
    }

    /**
     * The body of `PUT EntityDefinitions(<id>)` that turns change tracking on: the definition as read, with
     * `ChangeTrackingEnabled` set and the response-only annotations (`@odata.context`, `@odata.etag`) removed.
     */
    fun withChangeTracking(definition: JsonObject): JsonObject =
        JsonObject(definition.filterKeys { !it.startsWith("@odata.context") && !it.startsWith("@odata.etag") } + ("ChangeTrackingEnabled" to JsonPrimitive(true)))

    /** One attribute body for `POST EntityDefinitions(...)/Attributes` (any type but lookup). */
    fun attribute(spec: ColumnSpec, primaryName: Boolean = false): JsonObject = buildJsonObject {
        put("@odata.type", NS + metadataType(spec.type))
        put("SchemaName", spec.schemaName)
        put("DisplayName", label(spec.displayName))
        spec.description?.let { put("Description", label(it)) }
        put("RequiredLevel", buildJsonObject { put("Value", requiredLevel(spec.requiredLevel)) })
        when (spec.type) {
            ColumnType.STRING -> {
                put("MaxLength", spec.maxLength)
                put("FormatName", buildJsonObject { put("Value", "Text") })
                if (primaryName) put("IsPrimaryName", true)
            }
            ColumnType.MEMO -> {
                put("MaxLength", spec.maxLength)
                put("Format", "TextArea")
            }
            ColumnType.INTEGER -> {
                put("Format", "None")
                put("MinValue", spec.minValue?.toInt())
                put("MaxValue", spec.maxValue?.toInt())
            }
            ColumnType.DECIMAL, ColumnType.DOUBLE, ColumnType.MONEY -> {
                put("Precision", spec.precision)
                put("MinValue", JsonPrimitive(spec.minValue))
                put("MaxValue", JsonPrimitive(spec.maxValue))
            }
            ColumnType.BOOLEAN -> {
                put("DefaultValue", false)
                put(
                    "OptionSet",
                    buildJsonObject {
                        put("@odata.type", "${NS}BooleanOptionSetMetadata")
                        put("TrueOption", option(1, spec.options.first { it.value == 1 }.label))
                        put("FalseOption", option(0, spec.options.first { it.value == 0 }.label))
                    },
                )
            }
            ColumnType.DATE_TIME, ColumnType.DATE_ONLY -> {
                put("Format", if (spec.type == ColumnType.DATE_ONLY) "DateOnly" else "DateAndTime")
                put("DateTimeBehavior", buildJsonObject { put("Value", if (spec.type == ColumnType.DATE_ONLY) "DateOnly" else "UserLocal") })
            }
            ColumnType.CHOICE, ColumnType.MULTI_CHOICE -> put(
                "OptionSet",
                buildJsonObject {
                    put("@odata.type", "${NS}OptionSetMetadata")
                    put("IsGlobal", false)
                    put("OptionSetType", "Picklist")
                    put("Options", JsonArray(spec.options.map { option(it.value, it.label) }))
                },
            )
            ColumnType.FILE, ColumnType.IMAGE -> put("MaxSizeInKB", spec.maxSizeInKB)
            else -> throw IllegalArgumentException("${spec.type} columns are not created through Attributes")
        }
    }

    /** `POST RelationshipDefinitions` for a one-to-many relationship with its lookup column. */
    fun oneToMany(spec: OneToManySpec, referencedPrimaryId: String): JsonObject = buildJsonObject {
        put("@odata.type", "${NS}OneToManyRelationshipMetadata")
        put("SchemaName", spec.schemaName)
        put("ReferencedEntity", spec.referencedTable)
        put("ReferencingEntity", spec.referencingTable)
        put("ReferencedAttribute", referencedPrimaryId)
        put("CascadeConfiguration", cascade(spec.cascade))
        put(
            "Lookup",
            buildJsonObject {
                put("@odata.type", "${NS}LookupAttributeMetadata")
                put("SchemaName", spec.lookupSchemaName)
                put("AttributeType", "Lookup")
                put("AttributeTypeName", buildJsonObject { put("Value", "LookupType") })
                put("DisplayName", label(spec.lookupDisplayName))
                put(
                    "RequiredLevel",
                    buildJsonObject {
                        put("Value", "None")
                        put("CanBeChanged", true)
                        put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings")
                    },
                )
            },
        )
    }

    /** `POST RelationshipDefinitions` for a many-to-many relationship. */
    fun manyToMany(spec: ManyToManySpec): JsonObject = buildJsonObject {
        put("@odata.type", "${NS}ManyToManyRelationshipMetadata")
        put("SchemaName", spec.schemaName)
        put("Entity1LogicalName", spec.table1)
        put("Entity2LogicalName", spec.table2)
        put("IntersectEntityName", spec.intersectTable)
    }

    /** `POST EntityDefinitions(...)/Keys`. */
    fun key(spec: AlternateKeySpec): JsonObject = buildJsonObject {
        put("SchemaName", spec.schemaName)
        put("KeyAttributes", JsonArray(spec.columns.map(::JsonPrimitive)))
        put("DisplayName", label(spec.displayName))
    }

    /** The `@odata.type` (without namespace) of the attribute metadata for [type]. */
    fun metadataType(type: ColumnType): String = when (type) {
        ColumnType.STRING -> "StringAttributeMetadata"
        ColumnType.MEMO -> "MemoAttributeMetadata"
        ColumnType.INTEGER -> "IntegerAttributeMetadata"
        ColumnType.DECIMAL -> "DecimalAttributeMetadata"
        ColumnType.DOUBLE -> "DoubleAttributeMetadata"
        ColumnType.MONEY -> "MoneyAttributeMetadata"
        ColumnType.BOOLEAN -> "BooleanAttributeMetadata"
        ColumnType.DATE_TIME, ColumnType.DATE_ONLY -> "DateTimeAttributeMetadata"
        ColumnType.CHOICE -> "PicklistAttributeMetadata"
        ColumnType.MULTI_CHOICE -> "MultiSelectPicklistAttributeMetadata"
        ColumnType.LOOKUP -> "LookupAttributeMetadata"
        ColumnType.FILE -> "FileAttributeMetadata"
        ColumnType.IMAGE -> "ImageAttributeMetadata"
        else -> throw IllegalArgumentException("$type columns cannot be created")
    }

    private fun option(value: Int, text: String): JsonObject = buildJsonObject {
        put("@odata.type", "${NS}OptionMetadata")
        put("Value", value)
        put("Label", label(text))
    }

    private fun requiredLevel(level: RequiredLevel): String = when (level) {
        RequiredLevel.NONE -> "None"
        RequiredLevel.RECOMMENDED -> "Recommended"
        RequiredLevel.REQUIRED -> "ApplicationRequired"
        RequiredLevel.SYSTEM_REQUIRED -> "SystemRequired"
    }

    private fun cascade(configuration: CascadeConfiguration): JsonObject = buildJsonObject {
        put("Assign", cascade(configuration.assign))
        put("Delete", cascade(configuration.delete))
        put("Merge", cascade(configuration.merge))
        put("Reparent", cascade(configuration.reparent))
        put("Share", cascade(configuration.share))
        put("Unshare", cascade(configuration.unshare))
    }

    private fun cascade(type: CascadeType): String = when (type) {
        CascadeType.CASCADE -> "Cascade"
        CascadeType.NO_CASCADE -> "NoCascade"
        CascadeType.REMOVE_LINK -> "RemoveLink"
        CascadeType.RESTRICT -> "Restrict"
    }
}
