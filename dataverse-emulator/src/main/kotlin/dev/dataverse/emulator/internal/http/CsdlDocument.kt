package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.TableDefinition

/** Renders the CSDL (`$metadata`) of the tables: entity types, their properties, keys and lookups, and entity sets. */
internal object CsdlDocument {

    fun render(tables: List<TableDefinition>): String = buildString {
        append("""<?xml version="1.0" encoding="utf-8"?>""").append('\n')
        append("""<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">""").append('\n')
        append("""<edmx:DataServices>""").append('\n')
        append("""<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">""").append('\n')
        tables.forEach { appendEntityType(it) }
        append("""<ComplexType Name="WhoAmIResponse">""")
        listOf("BusinessUnitId", "UserId", "OrganizationId").forEach { append("""<Property Name="$it" Type="Edm.Guid" Nullable="false"/>""") }
        append("</ComplexType>\n")
        append("""<Function Name="WhoAmI"><ReturnType Type="mscrm.WhoAmIResponse" Nullable="false"/></Function>""").append('\n')
        append("""<EntityContainer Name="System">""").append('\n')
        tables.forEach { append("""<EntitySet Name="${it.entitySetName}" EntityType="mscrm.${it.logicalName}"/>""").append('\n') }
        append("""<FunctionImport Name="WhoAmI" Function="mscrm.WhoAmI"/>""").append('\n')
        append("</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n")
    }

    private fun StringBuilder.appendEntityType(table: TableDefinition) {
        append("""<EntityType Name="${table.logicalName}">""")
        append("""<Key><PropertyRef Name="${table.primaryIdAttribute}"/></Key>""")
        table.columns.forEach { appendProperty(it) }
        table.columns.filter { it.type.isLookup }.forEach { column ->
            column.targets.forEach { append("""<NavigationProperty Name="${it.navigationProperty}" Type="mscrm.${it.table}"/>""") }
        }
        append("</EntityType>\n")
    }

    private fun StringBuilder.appendProperty(column: ColumnDefinition) {
        val maxLength = column.maxLength?.takeIf { column.type.isText }?.let { """ MaxLength="$it"""" }.orEmpty()
        append("""<Property Name="${column.propertyName}" Type="${edmType(column.type)}"$maxLength/>""")
    }

    private fun edmType(type: ColumnType): String = when (type) {
        ColumnType.STRING, ColumnType.MEMO, ColumnType.MULTI_SELECT_PICKLIST -> "Edm.String"
        ColumnType.DOUBLE -> "Edm.Double"
        ColumnType.INTEGER, ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS -> "Edm.Int32"
        ColumnType.BIG_INT -> "Edm.Int64"
        ColumnType.MONEY, ColumnType.DECIMAL -> "Edm.Decimal"
        ColumnType.BOOLEAN -> "Edm.Boolean"
        ColumnType.DATE_TIME -> "Edm.DateTimeOffset"
        ColumnType.DATE_ONLY -> "Edm.Date"
        ColumnType.UNIQUE_IDENTIFIER, ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER, ColumnType.FILE, ColumnType.IMAGE -> "Edm.Guid"
    }
}
