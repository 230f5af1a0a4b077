package dev.dataverse.internal.schema

import dev.dataverse.schema.*

/** Reads the snapshot model from the format's JSON, every error naming its path ([SnapshotNode]). */
internal object SnapshotParser {
    // ChoiceSchema
    fun choiceSchema(node: SnapshotNode): ChoiceSchema = node.build {
        ChoiceSchema(node.objects("options").map { choiceOptionSchema(it) }, node.stringOrNull("globalName"))
    }
    
    // ChoiceOptionSchema
    fun choiceOptionSchema(node: SnapshotNode): ChoiceOptionSchema = node.build {
        // A label may be any text, even blank; only its type is checked.
        ChoiceOptionSchema(node.int("value"), node.rawStringOrNull("label"))
    }
    
    // LookupTargetSchema
    fun lookupTargetSchema(node: SnapshotNode): LookupTargetSchema = node.build {
        LookupTargetSchema(node.string("table"), node.stringOrNull("navigationProperty"))
    }
    
    // AlternateKeySchema
    fun alternateKeySchema(node: SnapshotNode): AlternateKeySchema = node.build { AlternateKeySchema(node.string("logicalName"), node.strings("columns")) }
    
    // ColumnSchema

    fun columnSchema(node: SnapshotNode): ColumnSchema = node.build {
        ColumnSchema(
            logicalName = node.string("logicalName"),
            schemaName = node.string("schemaName"),
            attributeType = node.string("attributeType"),
            displayName = node.rawStringOrNull("displayName"),
            requiredLevel = node.stringOrNull("requiredLevel"),
            isPrimaryId = node.boolean("isPrimaryId"),
            isPrimaryName = node.boolean("isPrimaryName"),
            isCustom = node.boolean("isCustom"),
            validForCreate = node.boolean("validForCreate"),
            validForUpdate = node.boolean("validForUpdate"),
            validForRead = node.boolean("validForRead"),
            maxLength = node.intOrNull("maxLength"),
            minValue = node.decimalOrNull("minValue"),
            maxValue = node.decimalOrNull("maxValue"),
            precision = node.intOrNull("precision"),
            maxSizeInKB = node.intOrNull("maxSizeInKB"),
            format = node.stringOrNull("format"),
            dateTimeBehavior = node.stringOrNull("dateTimeBehavior"),
            choice = node.objectOrNull("choice")?.let { choiceSchema(it) },
            targets = node.objects("targets", required = false).map { lookupTargetSchema(it) },
        )
    }
    // CustomApiSchema
    private val BINDINGS = CustomApiBindingType.values().associateBy { it.formatName() }

    fun customApiSchema(node: SnapshotNode): CustomApiSchema = node.build {
        CustomApiSchema(
            node.string("uniqueName"), node.enumValue("bindingType", BINDINGS), node.stringOrNull("boundTable"),
            node.boolean("isFunction"),
            node.objects("requestParameters").map { customApiParameterSchema(it) },
            node.objects("responseProperties").map { customApiPropertySchema(it) },
        )
    }
    
    // CustomApiParameterSchema
    fun customApiParameterSchema(node: SnapshotNode): CustomApiParameterSchema = node.build {
        CustomApiParameterSchema(node.string("uniqueName"), node.string("type"), node.boolean("isOptional"), node.stringOrNull("table"))
    }
    
    // CustomApiPropertySchema
    fun customApiPropertySchema(node: SnapshotNode): CustomApiPropertySchema = node.build {
        CustomApiPropertySchema(node.string("uniqueName"), node.string("type"), node.stringOrNull("table"))
    }
    
    // RelationshipSchema
    private val KINDS = RelationshipKind.values().associateBy { it.formatName() }

    fun relationshipSchema(node: SnapshotNode): RelationshipSchema = node.build {
        RelationshipSchema(
            node.string("schemaName"), node.enumValue("kind", KINDS), node.string("referencedTable"),
            node.string("referencedColumn"), node.string("referencingTable"), node.string("referencingColumn"),
            node.stringOrNull("navigationProperty"), node.stringOrNull("intersectTable"),
        )
    }
    
    // TableSchema

    fun tableSchema(node: SnapshotNode): TableSchema {
        val columns = node.objects("columns").map { columnSchema(it) }
        val keys = node.objects("alternateKeys").map { alternateKeySchema(it) }
        val relationships = node.objects("relationships").map { relationshipSchema(it) }
        return node.build {
            TableSchema(
                node.string("logicalName"), node.string("schemaName"), node.string("entitySetName"),
                node.string("primaryIdColumn"), node.stringOrNull("primaryNameColumn"), node.rawStringOrNull("displayName"),
                node.rawStringOrNull("displayCollectionName"), node.string("tableType"), node.stringOrNull("ownership"),
                node.boolean("isCustom"), node.boolean("changeTrackingEnabled"), columns, keys, relationships,
            )
        }
    }
}
