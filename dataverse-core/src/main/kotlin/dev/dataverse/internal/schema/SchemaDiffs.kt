package dev.dataverse.internal.schema

import dev.dataverse.schema.*

/** The comparison behind [SchemaSnapshot.diff]; see [SchemaDriftReport] for what is compared. */
internal object SchemaDiffs {
    fun compare(expected: SchemaSnapshot, actual: SchemaSnapshot): SchemaDriftReport {
        val drifts = ArrayList<SchemaDrift>()
        for (table in expected.tables) {
            val found = actual.table(table.logicalName)
            if (found == null) {
                drifts += SchemaDrift(SchemaDriftKind.TABLE_MISSING, table.logicalName, null, table.logicalName, null)
                continue
            }
            columns(table, found, drifts)
            keys(table, found, drifts)
        }
        for (api in expected.customApis) {
            val found = actual.customApi(api.uniqueName)
            if (found == null) {
                drifts += SchemaDrift(SchemaDriftKind.CUSTOM_API_MISSING, null, api.uniqueName, api.uniqueName, null)
                continue
            }
            customApi(api, found, drifts)
        }
        return SchemaDriftReport(drifts)
    }

    private fun columns(table: TableSchema, found: TableSchema, drifts: MutableList<SchemaDrift>) {
        val name = table.logicalName
        for (column in table.columns) {
            val other = found.column(column.logicalName)
            if (other == null) {
                drifts += SchemaDrift(SchemaDriftKind.COLUMN_MISSING, name, column.logicalName, column.attributeType, null)
                continue
            }
            if (!other.attributeType.equals(column.attributeType, ignoreCase = true)) {
                drifts += SchemaDrift(SchemaDriftKind.COLUMN_TYPE_CHANGED, name, column.logicalName, column.attributeType, other.attributeType)
                continue
            }
            val expectedValues = column.choice?.options?.map { it.value }.orEmpty().toSet()
            val actualValues = other.choice?.options?.map { it.value }.orEmpty().toSet()
            for (value in (actualValues - expectedValues).sorted()) {
                drifts += SchemaDrift(SchemaDriftKind.CHOICE_OPTION_ADDED, name, column.logicalName, null, value.toString())
            }
            for (value in (expectedValues - actualValues).sorted()) {
                drifts += SchemaDrift(SchemaDriftKind.CHOICE_OPTION_REMOVED, name, column.logicalName, value.toString(), null)
            }
            val expectedTargets = column.targets.map { it.table.lowercase() }.toSortedSet()
            val actualTargets = other.targets.map { it.table.lowercase() }.toSortedSet()
            if (expectedTargets != actualTargets) {
                drifts += SchemaDrift(
                    SchemaDriftKind.LOOKUP_TARGETS_CHANGED, name, column.logicalName,
                    expectedTargets.joinToString(", ").ifEmpty { null }, actualTargets.joinToString(", ").ifEmpty { null },
                )
            }
        }
    }

    private fun keys(table: TableSchema, found: TableSchema, drifts: MutableList<SchemaDrift>) {
        for (key in table.alternateKeys) {
            val other = found.alternateKeys.firstOrNull { it.logicalName.equals(key.logicalName, ignoreCase = true) }
            val expected = key.columns.map { it.lowercase() }.toSortedSet()
            val actual = other?.columns?.map { it.lowercase() }?.toSortedSet()
            if (expected != actual) {
                drifts += SchemaDrift(
                    SchemaDriftKind.ALTERNATE_KEY_CHANGED, table.logicalName, key.logicalName,
                    expected.joinToString(", "), actual?.joinToString(", "),
                )
            }
        }
    }

    private fun customApi(api: CustomApiSchema, found: CustomApiSchema, drifts: MutableList<SchemaDrift>) {
        fun shape(value: CustomApiSchema) =
            "${value.bindingType.formatName()}${value.boundTable?.let { "($it)" }.orEmpty()}, ${if (value.isFunction) "function" else "action"}"
        if (shape(api) != shape(found)) {
            drifts += SchemaDrift(SchemaDriftKind.CUSTOM_API_CHANGED, null, api.uniqueName, shape(api), shape(found))
        }
        fun parameter(value: CustomApiParameterSchema) = "request ${value.type}${if (value.isOptional) " optional" else ""}${value.table?.let { " $it" }.orEmpty()}"
        fun property(value: CustomApiPropertySchema) = "response ${value.type}${value.table?.let { " $it" }.orEmpty()}"
        members(api.uniqueName, api.requestParameters.associate { it.uniqueName to parameter(it) }, found.requestParameters.associate { it.uniqueName to parameter(it) }, drifts)
        members(api.uniqueName, api.responseProperties.associate { it.uniqueName to property(it) }, found.responseProperties.associate { it.uniqueName to property(it) }, drifts)
    }

    private fun members(api: String, expected: Map<String, String>, actual: Map<String, String>, drifts: MutableList<SchemaDrift>) {
        for (name in (expected.keys + actual.keys).toSortedSet()) {
            val want = expected[name]
            val have = actual[name]
            if (want != have) drifts += SchemaDrift(SchemaDriftKind.CUSTOM_API_PARAMETER_CHANGED, null, "$api.$name", want, have)
        }
    }
}
