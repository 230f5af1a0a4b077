package dev.dataverse.internal.schema

import dev.dataverse.schema.*
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

// The snapshot model as the format's JSON tree, properties in the documented order; SnapshotJson prints it.

internal fun ChoiceSchema.toJson(): JsonObject = buildJsonObject {
    globalName?.let { put("globalName", it) }
    put("options", buildJsonArray { options.forEach { add(it.toJson()) } })
}

internal fun ChoiceOptionSchema.toJson(): JsonObject = buildJsonObject {
    put("value", value)
    label?.let { put("label", it) }
}

internal fun LookupTargetSchema.toJson(): JsonObject = buildJsonObject {
    put("table", table)
    navigationProperty?.let { put("navigationProperty", it) }
}

internal fun AlternateKeySchema.toJson(): JsonObject = buildJsonObject {
    put("logicalName", logicalName)
    put("columns", buildJsonArray { columns.forEach { add(kotlinx.serialization.json.JsonPrimitive(it)) } })
}

internal fun ColumnSchema.toJson(): JsonObject = buildJsonObject {
    put("logicalName", logicalName)
    put("schemaName", schemaName)
    put("attributeType", attributeType)
    displayName?.let { put("displayName", it) }
    requiredLevel?.let { put("requiredLevel", it) }
    put("isPrimaryId", isPrimaryId)
    put("isPrimaryName", isPrimaryName)
    put("isCustom", isCustom)
    put("validForCreate", validForCreate)
    put("validForUpdate", validForUpdate)
    put("validForRead", validForRead)
    maxLength?.let { put("maxLength", it) }
    minValue?.let { put("minValue", SchemaDecimals.format(it)) }
    maxValue?.let { put("maxValue", SchemaDecimals.format(it)) }
    precision?.let { put("precision", it) }
    maxSizeInKB?.let { put("maxSizeInKB", it) }
    format?.let { put("format", it) }
    dateTimeBehavior?.let { put("dateTimeBehavior", it) }
    choice?.let { put("choice", it.toJson()) }
    if (targets.isNotEmpty()) put("targets", buildJsonArray { targets.forEach { add(it.toJson()) } })
}

internal fun CustomApiSchema.toJson(): JsonObject = buildJsonObject {
    put("uniqueName", uniqueName)
    put("bindingType", bindingType.formatName())
    boundTable?.let { put("boundTable", it) }
    put("isFunction", isFunction)
    put("requestParameters", buildJsonArray { requestParameters.forEach { add(it.toJson()) } })
    put("responseProperties", buildJsonArray { responseProperties.forEach { add(it.toJson()) } })
}

internal fun CustomApiParameterSchema.toJson(): JsonObject = buildJsonObject {
    put("uniqueName", uniqueName)
    put("type", type)
    put("isOptional", isOptional)
    table?.let { put("table", it) }
}

internal fun CustomApiPropertySchema.toJson(): JsonObject = buildJsonObject {
    put("uniqueName", uniqueName)
    put("type", type)
    table?.let { put("table", it) }
}

internal fun RelationshipSchema.toJson(): JsonObject = buildJsonObject {
    put("schemaName", schemaName)
    put("kind", kind.formatName())
    put("referencedTable", referencedTable)
    put("referencedColumn", referencedColumn)
    put("referencingTable", referencingTable)
    put("referencingColumn", referencingColumn)
    navigationProperty?.let { put("navigationProperty", it) }
    intersectTable?.let { put("intersectTable", it) }
}

internal fun TableSchema.toJson(): JsonObject = buildJsonObject {
    put("logicalName", logicalName)
    put("schemaName", schemaName)
    put("entitySetName", entitySetName)
    put("primaryIdColumn", primaryIdColumn)
    primaryNameColumn?.let { put("primaryNameColumn", it) }
    displayName?.let { put("displayName", it) }
    displayCollectionName?.let { put("displayCollectionName", it) }
    put("tableType", tableType)
    ownership?.let { put("ownership", it) }
    put("isCustom", isCustom)
    put("changeTrackingEnabled", changeTrackingEnabled)
    put("columns", buildJsonArray { columns.forEach { add(it.toJson()) } })
    put("alternateKeys", buildJsonArray { alternateKeys.forEach { add(it.toJson()) } })
    put("relationships", buildJsonArray { relationships.forEach { add(it.toJson()) } })
}

internal fun SchemaSnapshot.toTree(): JsonObject = buildJsonObject {
    put("formatVersion", SchemaSnapshot.FORMAT_VERSION)
    source?.let { put("source", it) }
    put("tables", buildJsonArray { tables.forEach { add(it.toJson()) } })
    put("customApis", buildJsonArray { customApis.forEach { add(it.toJson()) } })
}

