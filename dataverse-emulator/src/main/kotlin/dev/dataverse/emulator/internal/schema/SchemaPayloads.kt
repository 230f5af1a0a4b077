package dev.dataverse.emulator.internal.schema

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.metadata.MetadataDocuments
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.ManyToManyDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.GlobalOptionSetDefinition
import dev.dataverse.emulator.internal.model.OptionDefinition
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.records.ElasticTables
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import java.math.BigDecimal
import java.util.Locale
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/**
 * Reads the metadata payloads clients POST (`EntityMetadata`, attribute metadata of each type, one-to-many and
 * many-to-many relationship metadata, `EntityKeyMetadata`) into definitions, applying the service's defaults and
 * rejecting what it rejects: schema names without a customization prefix or with characters other than letters,
 * digits and underscores, unknown attribute types, out-of-range lengths, sizes and precisions.
 */
internal class SchemaPayloads(private val catalog: MetadataCatalog) {
    private val objectTypeCodes = AtomicInteger(FIRST_CUSTOM_OBJECT_TYPE_CODE)

    /** The table a `POST EntityDefinitions` body describes, with its primary columns and the system columns. */
    fun table(body: JsonObject): TableDefinition {
        requireType(body, "EntityMetadata", optional = true)
        val schemaName = schemaName(body, "SchemaName", "entity")
        val logicalName = schemaName.lowercase(Locale.ROOT)
        val displayName = label(body["DisplayName"]) ?: schemaName
        val displayCollectionName = label(body["DisplayCollectionName"]) ?: plural(displayName)
        val ownership = string(body, "OwnershipType") ?: "UserOwned"
        if (ownership !in OWNERSHIP_TYPES) {
            throw ApiErrors.badRequest("OwnershipType '$ownership' is not valid; use one of ${OWNERSHIP_TYPES.joinToString()}.")
        }
        val tableType = string(body, "TableType") ?: TableDefinition.STANDARD
        if (tableType != TableDefinition.STANDARD && tableType != TableDefinition.ELASTIC) {
            // A guess at the wording; the emulator offers no virtual tables.
            throw ApiErrors.badRequest("TableType '$tableType' is not supported; use ${TableDefinition.STANDARD} or ${TableDefinition.ELASTIC}.")
        }
        val attributes = (body["Attributes"] as? JsonArray)
            ?: throw ApiErrors.badRequest("An entity needs 'Attributes' with exactly one primary name attribute (IsPrimaryName: true).")
        val objects = attributes.map { it as? JsonObject ?: throw ApiErrors.badRequest("Every item of 'Attributes' must be an attribute metadata object.") }
        val primary = objects.filter { (it["IsPrimaryName"] as? JsonPrimitive)?.booleanOrNull == true }
        if (primary.size != 1) {
            throw ApiErrors.badRequest("An entity needs exactly one attribute with IsPrimaryName set to true; the request has ${primary.size}.")
        }
        if (typeOf(primary.single()) != "StringAttributeMetadata") {
            throw ApiErrors.badRequest("The primary name attribute must be a StringAttributeMetadata.")
        }
        val factory = ColumnFactory(logicalName)
        val columns = ArrayList<ColumnDefinition>()
        columns += factory.primaryId("${logicalName}id", "${schemaName}Id", displayName)
        for (attribute in objects) {
            for (column in columns(logicalName, attribute)) {
                if (columns.any { it.logicalName == column.logicalName }) {
                    throw ApiErrors.duplicateMetadata(ErrorCodes.DUPLICATE_ATTRIBUTE_SCHEMA_NAME, "An attribute with the specified name '${column.schemaName}' already exists. Specify a unique name.")
                }
                columns += column
            }
        }
        columns += factory.state(ACTIVE_INACTIVE_STATES)
        columns += factory.status(ACTIVE_INACTIVE_STATUSES)
        columns += factory.systemColumns()
        if (ownership == "UserOwned") columns += StandardTables.ownerColumn(logicalName)
        val table = TableDefinition(
            logicalName = logicalName,
            schemaName = schemaName,
            entitySetName = plural(logicalName),
            primaryIdAttribute = "${logicalName}id",
            primaryNameAttribute = schemaName(primary.single(), "SchemaName", "attribute").lowercase(Locale.ROOT),
            displayName = displayName,
            displayCollectionName = displayCollectionName,
            metadataId = UUID.randomUUID(),
            columns = columns,
            objectTypeCode = objectTypeCodes.getAndIncrement(),
            isCustomEntity = true,
            ownershipType = ownership,
            changeTrackingEnabled = boolean(body, "ChangeTrackingEnabled") ?: false,
            tableType = tableType,
        )
        if (!table.isElastic) return table
        table.columns.forEach { ElasticTables.requireSupported(table, it) }
        return ElasticTables.withElasticColumns(table)
    }

    /**
     * The columns one attribute payload adds to [table]: one, or a file/image column with its `<name>_name`
     * supporting column. Lookups are created through relationships, not here.
     */
    fun columns(table: String, body: JsonObject): List<ColumnDefinition> {
        val type = typeOf(body) ?: throw ApiErrors.badRequest("The attribute needs an '@odata.type' such as 'Microsoft.Dynamics.CRM.StringAttributeMetadata'.")
        val schemaName = schemaName(body, "SchemaName", "attribute")
        val name = schemaName.lowercase(Locale.ROOT)
        val display = label(body["DisplayName"]) ?: schemaName
        val factory = ColumnFactory(table)
        val column = when (type) {
            "StringAttributeMetadata" -> {
                val format = (body["FormatName"] as? JsonObject)?.let { string(it, "Value") } ?: string(body, "Format") ?: "Text"
                factory.text(name, schemaName, display, int(body, "MaxLength", 100, 1, 4000), format)
            }
            "MemoAttributeMetadata" -> factory.memo(name, schemaName, display, int(body, "MaxLength", 2000, 1, 1_048_576))
            "IntegerAttributeMetadata" -> factory.integer(
                name, schemaName, display,
                int(body, "MinValue", Int.MIN_VALUE, Int.MIN_VALUE, Int.MAX_VALUE).toLong(),
                int(body, "MaxValue", Int.MAX_VALUE, Int.MIN_VALUE, Int.MAX_VALUE).toLong(),
            )
            "DecimalAttributeMetadata" -> factory.decimal(
                name, schemaName, display, decimal(body, "MinValue", DECIMAL_LIMIT.negate()), decimal(body, "MaxValue", DECIMAL_LIMIT),
                int(body, "Precision", 2, 0, 10),
            )
            "DoubleAttributeMetadata" -> factory.double(
                name, schemaName, display, decimal(body, "MinValue", DECIMAL_LIMIT.negate()), decimal(body, "MaxValue", DECIMAL_LIMIT),
                int(body, "Precision", 2, 0, 5),
            )
            "MoneyAttributeMetadata" -> factory.money(
                name, schemaName, display, decimal(body, "MinValue", MONEY_LIMIT.negate()), decimal(body, "MaxValue", MONEY_LIMIT),
            ).copy(precision = int(body, "Precision", 2, 0, 4))
            "BooleanAttributeMetadata" -> {
                val optionSet = body["OptionSet"] as? JsonObject
                val trueLabel = optionSet?.let { label((it["TrueOption"] as? JsonObject)?.get("Label")) } ?: "Yes"
                val falseLabel = optionSet?.let { label((it["FalseOption"] as? JsonObject)?.get("Label")) } ?: "No"
                factory.boolean(name, schemaName, display, trueLabel, falseLabel)
                    .copy(defaultValue = (body["DefaultValue"] as? JsonPrimitive)?.booleanOrNull ?: false)
            }
            "DateTimeAttributeMetadata" -> when (val format = string(body, "Format") ?: "DateAndTime") {
                "DateOnly" -> factory.dateOnly(name, schemaName, display)
                "DateAndTime" -> factory.dateTime(name, schemaName, display)
                else -> throw ApiErrors.badRequest("DateTime Format '$format' is not valid; use 'DateOnly' or 'DateAndTime'.")
            }
            "PicklistAttributeMetadata" -> globalChoice(body, schemaName)?.let { global ->
                factory.choice(name, schemaName, display, global.options).copy(globalOptionSet = global.name)
            } ?: factory.choice(name, schemaName, display, options(body, schemaName))
            "MultiSelectPicklistAttributeMetadata" -> factory.multiSelect(name, schemaName, display, options(body, schemaName))
            "FileAttributeMetadata" ->
                return factory.file(name, schemaName, display, int(body, "MaxSizeInKB", 32_768, 1, 10_485_760)).map { it.copy(isCustom = true) }
            "ImageAttributeMetadata" ->
                return factory.file(name, schemaName, display, int(body, "MaxSizeInKB", 10_240, 1, 30_720), image = true).map { it.copy(isCustom = true) }
            "LookupAttributeMetadata" -> throw ApiErrors.badRequest(
                "Lookup attributes are created with their relationship: POST RelationshipDefinitions with a OneToManyRelationshipMetadata.",
            )
            else -> throw ApiErrors.badRequest("The attribute type '$type' is not supported.")
        }
        return listOf(column.copy(isCustom = true))
    }

    /** The lookup column a one-to-many relationship payload adds to its referencing table. */
    fun oneToMany(body: JsonObject): Pair<String, ColumnDefinition> {
        val schemaName = schemaName(body, "SchemaName", "relationship")
        val referenced = requiredTable(body, "ReferencedEntity")
        val referencing = requiredTable(body, "ReferencingEntity")
        string(body, "ReferencedAttribute")?.let {
            if (!it.equals(referenced.primaryIdAttribute, ignoreCase = true)) {
                throw ApiErrors.badRequest("ReferencedAttribute must be the primary id '${referenced.primaryIdAttribute}' of '${referenced.logicalName}'.")
            }
        }
        val lookup = body["Lookup"] as? JsonObject
            ?: throw ApiErrors.badRequest("A OneToManyRelationshipMetadata needs a 'Lookup' (LookupAttributeMetadata) for the referencing entity.")
        val lookupSchema = schemaName(lookup, "SchemaName", "attribute")
        val target = LookupTarget(
            table = referenced.logicalName,
            navigationProperty = string(body, "ReferencingEntityNavigationPropertyName") ?: lookupSchema,
            reverseNavigation = string(body, "ReferencedEntityNavigationPropertyName") ?: schemaName,
            relationshipSchemaName = schemaName,
            relationshipId = UUID.randomUUID(),
            isCustom = true,
            cascade = cascade(body["CascadeConfiguration"]),
        )
        val column = ColumnFactory(referencing.logicalName)
            .lookup(lookupSchema.lowercase(Locale.ROOT), lookupSchema, label(lookup["DisplayName"]) ?: lookupSchema, listOf(target))
            .copy(isCustom = true)
        return referencing.logicalName to column
    }

    /** The relationship a many-to-many payload describes. */
    fun manyToMany(body: JsonObject): ManyToManyDefinition {
        val schemaName = schemaName(body, "SchemaName", "relationship")
        val entity1 = requiredTable(body, "Entity1LogicalName")
        val entity2 = requiredTable(body, "Entity2LogicalName")
        val navigation1 = string(body, "Entity1NavigationPropertyName") ?: schemaName
        val navigation2 = string(body, "Entity2NavigationPropertyName") ?: schemaName
        if (entity1 == entity2 && navigation1 == navigation2) {
            throw ApiErrors.badRequest("A self-referencing many-to-many relationship needs different Entity1NavigationPropertyName and Entity2NavigationPropertyName.")
        }
        return ManyToManyDefinition(
            schemaName = schemaName,
            entity1 = entity1.logicalName,
            entity2 = entity2.logicalName,
            intersectEntityName = string(body, "IntersectEntityName")?.lowercase(Locale.ROOT) ?: schemaName.lowercase(Locale.ROOT),
            entity1NavigationPropertyName = navigation1,
            entity2NavigationPropertyName = navigation2,
            metadataId = UUID.randomUUID(),
        )
    }

    /** The schema name, display name and attributes of an `EntityKeyMetadata` payload. */
    fun key(body: JsonObject): Triple<String, String, List<String>> {
        val schemaName = schemaName(body, "SchemaName", "key")
        val attributes = (body["KeyAttributes"] as? JsonArray)?.map {
            (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw ApiErrors.badRequest("'KeyAttributes' must be an array of attribute logical names.")
        } ?: throw ApiErrors.badRequest("An alternate key needs 'KeyAttributes': the logical names of its attributes.")
        return Triple(schemaName, label(body["DisplayName"]) ?: schemaName, attributes)
    }

    /** The `@odata.type` of a payload without namespace or `#` (`StringAttributeMetadata`), or null. */
    /** The `SchemaName` of a definition payload, for naming it in a solution; `?` when absent. */
    fun schemaNameOf(body: JsonObject): String = string(body, "SchemaName") ?: "?"

    fun typeOf(body: JsonObject): String? =
        string(body, "@odata.type")?.removePrefix("#")?.removePrefix("Microsoft.Dynamics.CRM.")

    private fun requireType(body: JsonObject, expected: String, optional: Boolean) {
        val type = typeOf(body)
        if ((type == null && !optional) || (type != null && type != expected)) {
            throw ApiErrors.badRequest("The request body must be a Microsoft.Dynamics.CRM.$expected.")
        }
    }

    private fun requiredTable(body: JsonObject, property: String): TableDefinition {
        val name = string(body, property) ?: throw ApiErrors.badRequest("The relationship needs '$property'.")
        return catalog.table(name) ?: throw ApiErrors.badRequest("The entity '$name' named in '$property' does not exist.")
    }

    /**
     * The global choice a choice column binds to with `"GlobalOptionSet@odata.bind": "/GlobalOptionSetDefinitions(<id>)"`
     * (Learn: "Work with choice columns using the Web API", create a choice column using a global choice), or null.
     */
    private fun globalChoice(body: JsonObject, schemaName: String): GlobalOptionSetDefinition? {
        val bind = (body["GlobalOptionSet@odata.bind"] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: return null
        val key = Regex("GlobalOptionSetDefinitions\\((.+)\\)\\s*$").find(bind)?.groupValues?.get(1)
            ?: throw ApiErrors.badRequest("'GlobalOptionSet@odata.bind' of '$schemaName' must name a global choice: /GlobalOptionSetDefinitions(<MetadataId>).")
        val name = Regex("^Name='(.*)'$").find(key)?.groupValues?.get(1)?.replace("''", "'")
        return (if (name != null) catalog.globalOptionSet(name) else runCatching { UUID.fromString(key) }.getOrNull()?.let(catalog::globalOptionSet))
            ?: throw ApiErrors.badRequest("The global choice '$key' that '$schemaName' binds to does not exist.")
    }

    /**
     * A global choice from an `OptionSetMetadata` payload for `POST GlobalOptionSetDefinitions` (Learn: "Work with choice
     * columns using the Web API"): `Name` with a customization prefix, `DisplayName`, `Description` and `Options`.
     */
    fun globalOptionSet(body: JsonObject): GlobalOptionSetDefinition {
        val type = typeOf(body)
        if (type != null && type != "OptionSetMetadata") throw ApiErrors.badRequest("A global choice is an OptionSetMetadata, not a $type.")
        val name = string(body, "Name") ?: throw ApiErrors.badRequest("A global choice needs a 'Name'.")
        if (!SCHEMA_NAME.matches(name)) {
            throw ApiErrors.badRequest("The option set name '$name' is not valid: it must start with a customization prefix and an underscore (such as 'new_').")
        }
        string(body, "OptionSetType")?.let {
            if (it != "Picklist") throw ApiErrors.badRequest("The OptionSetType of a global choice must be 'Picklist', not '$it'.")
        }
        val display = label(body["DisplayName"]) ?: throw ApiErrors.badRequest("The global choice '$name' needs a 'DisplayName'.")
        return GlobalOptionSetDefinition(name, MetadataDocuments.globalOptionSetId(name), display, label(body["Description"]), optionList(body, name))
    }

    private fun options(body: JsonObject, schemaName: String): List<OptionDefinition> {
        val optionSet = body["OptionSet"] as? JsonObject
            ?: throw ApiErrors.badRequest("The choice attribute '$schemaName' needs an 'OptionSet' with 'Options', or a 'GlobalOptionSet@odata.bind'.")
        return optionList(optionSet, schemaName)
    }

    /** The `Options` of an option set payload, numbered from the customization prefix's first value when they have none. */
    private fun optionList(optionSet: JsonObject, schemaName: String): List<OptionDefinition> {
        val items = (optionSet["Options"] as? JsonArray)?.takeIf { it.isNotEmpty() }
            ?: throw ApiErrors.badRequest("The option set of '$schemaName' needs at least one option in 'Options'.")
        var next = FIRST_OPTION_VALUE
        val options = items.map { item ->
            val option = item as? JsonObject ?: throw ApiErrors.badRequest("Every option of '$schemaName' must be an OptionMetadata object.")
            val value = (option["Value"] as? JsonPrimitive)?.takeUnless { it is JsonNull }?.let {
                it.content.toIntOrNull() ?: throw ApiErrors.badRequest("Option values of '$schemaName' must be integers.")
            } ?: next
            next = maxOf(next, value + 1)
            val text = label(option["Label"]) ?: throw ApiErrors.badRequest("Every option of '$schemaName' needs a 'Label'.")
            OptionDefinition(value, text)
        }
        if (options.map { it.value }.toSet().size != options.size) throw ApiErrors.badRequest("The option set of '$schemaName' repeats an option value.")
        return options
    }

    private fun cascade(element: JsonElement?): Map<String, String> {
        val configuration = element as? JsonObject ?: return LookupTarget.DEFAULT_CASCADE
        val result = LinkedHashMap(LookupTarget.DEFAULT_CASCADE)
        for ((name, value) in configuration) {
            if (name.startsWith("@")) continue
            val text = (value as? JsonPrimitive)?.content ?: continue
            if (text !in CASCADE_VALUES) throw ApiErrors.badRequest("Cascade value '$text' of '$name' is not valid; use one of ${CASCADE_VALUES.joinToString()}.")
            result[name] = text
        }
        return result
    }

    private fun schemaName(body: JsonObject, property: String, kind: String): String {
        val name = string(body, property) ?: throw ApiErrors.badRequest("The $kind needs a '$property'.")
        // Relationship names start with a table's name rather than a prefix (account_new_order_new_AccountId).
        val pattern = if (kind == "relationship") RELATIONSHIP_NAME else SCHEMA_NAME
        if (!pattern.matches(name)) {
            throw ApiErrors.badRequest(
                "The $kind schema name '$name' is not valid: it must start with a customization prefix and an underscore " +
                    "(such as 'new_') and contain only letters, digits and underscores.",
            )
        }
        return name
    }

    private fun int(body: JsonObject, property: String, default: Int, min: Int, max: Int): Int {
        val element = body[property] as? JsonPrimitive ?: return default
        if (element is JsonNull) return default
        val value = element.content.toIntOrNull() ?: throw ApiErrors.badRequest("'$property' must be an integer.")
        if (value < min || value > max) throw ApiErrors.badRequest("'$property' must be between $min and $max, was $value.")
        return value
    }

    private fun decimal(body: JsonObject, property: String, default: BigDecimal): BigDecimal {
        val element = body[property] as? JsonPrimitive ?: return default
        if (element is JsonNull) return default
        return element.content.toBigDecimalOrNull() ?: throw ApiErrors.badRequest("'$property' must be a number.")
    }

    /** A Boolean property of [body], `null` when absent or null; a value of another type is refused. */
    fun boolean(body: JsonObject, property: String): Boolean? {
        val value = body[property] ?: return null
        if (value is JsonNull) return null
        return (value as? JsonPrimitive)?.takeUnless { it.isString }?.booleanOrNull
            ?: throw ApiErrors.badRequest("'$property' must be true or false, not $value.")
    }

    private fun string(body: JsonObject, property: String): String? =
        (body[property] as? JsonPrimitive)?.takeIf { it.isString }?.content

    companion object {
        private const val FIRST_CUSTOM_OBJECT_TYPE_CODE = 10_000
        private const val FIRST_OPTION_VALUE = 100_000_000
        private val DECIMAL_LIMIT = BigDecimal("100000000000")
        private val MONEY_LIMIT = BigDecimal("922337203685477")
        private val OWNERSHIP_TYPES = listOf("UserOwned", "OrganizationOwned")
        private val CASCADE_VALUES = setOf("Cascade", "NoCascade", "RemoveLink", "Restrict", "Active", "UserOwned")

        /** A customization prefix (a letter, then letters or digits), an underscore, then letters, digits or underscores. */
        private val SCHEMA_NAME = Regex("[A-Za-z][A-Za-z0-9]{1,7}_[A-Za-z0-9_]+")
        private val RELATIONSHIP_NAME = Regex("[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")

        private val ACTIVE_INACTIVE_STATES = listOf(OptionDefinition(0, "Active", defaultStatus = 1), OptionDefinition(1, "Inactive", defaultStatus = 2))
        private val ACTIVE_INACTIVE_STATUSES = listOf(OptionDefinition(1, "Active", state = 0), OptionDefinition(2, "Inactive", state = 1))

        /** The text of a `Label` (`LocalizedLabels[0].Label`, or `UserLocalizedLabel.Label`), or null. */
        fun label(element: JsonElement?): String? {
            val label = element as? JsonObject ?: return null
            val localized = (label["LocalizedLabels"] as? JsonArray)?.firstOrNull() as? JsonObject
            val text = (localized?.get("Label") as? JsonPrimitive)?.content
                ?: ((label["UserLocalizedLabel"] as? JsonObject)?.get("Label") as? JsonPrimitive)?.content
            return text?.takeIf { it.isNotBlank() }
        }

        /** The English plural the service derives entity set names with: `new_product` → `new_products`. */
        fun plural(name: String): String = when {
            name.endsWith("y") && name.length > 1 && name[name.length - 2] !in "aeiou" -> name.dropLast(1) + "ies"
            name.endsWith("s") || name.endsWith("x") || name.endsWith("ch") || name.endsWith("sh") || name.endsWith("z") -> name + "es"
            else -> name + "s"
        }
    }
}
