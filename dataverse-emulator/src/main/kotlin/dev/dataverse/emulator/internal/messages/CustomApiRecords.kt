package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.OptionDefinition
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.model.readOnly
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredRecord

/** What the `customapis` tables record about a custom API beyond its [MessageDefinition]: its response and entity tables. */
internal class CustomApiShape(
    /** The response properties: unique name, type and table (`logicalentityname`). */
    val responseProperties: List<Triple<String, CustomApiType, String?>>,
    /** The table (`logicalentityname`) of each request parameter that has one, by unique name. */
    val parameterTables: Map<String, String> = emptyMap(),
)

/**
 * The tables that describe custom APIs (Learn: "CustomAPI tables": `customapi`, `customapirequestparameter`,
 * `customapiresponseproperty`, related through `CustomAPIRequestParameters` and `CustomAPIResponseProperties`), kept
 * as records that mirror the registered custom APIs, so that clients read them with ordinary queries, such as the one
 * Learn gives to retrieve data about custom APIs. The records follow the registry ([sync]); records written by clients
 * to these tables do not create messages.
 */
internal object CustomApiRecords {
    const val API = "customapi"
    const val PARAMETER = "customapirequestparameter"
    const val PROPERTY = "customapiresponseproperty"

    /** Learn's `Type` choice of parameters and properties (0 Boolean ... 12 Guid), in [CustomApiType] order. */
    private val TYPE_LABELS = listOf(
        "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money",
        "Picklist", "String", "StringArray", "Guid",
    )

    /** The option value of [type] in the `type` choice. */
    fun typeValue(type: CustomApiType): Int = TYPE_LABELS.indexOf(typeName(type))

    /** Learn's name of [type], e.g. `EntityReference`. */
    fun typeName(type: CustomApiType): String = when (type) {
        CustomApiType.BOOLEAN -> "Boolean"
        CustomApiType.DATE_TIME -> "DateTime"
        CustomApiType.DECIMAL -> "Decimal"
        CustomApiType.ENTITY -> "Entity"
        CustomApiType.ENTITY_COLLECTION -> "EntityCollection"
        CustomApiType.ENTITY_REFERENCE -> "EntityReference"
        CustomApiType.FLOAT -> "Float"
        CustomApiType.INTEGER -> "Integer"
        CustomApiType.MONEY -> "Money"
        CustomApiType.PICKLIST -> "Picklist"
        CustomApiType.STRING -> "String"
        CustomApiType.STRING_ARRAY -> "StringArray"
        CustomApiType.GUID -> "Guid"
    }

    /** The [CustomApiType] Learn names [name], or null. */
    fun typeNamed(name: String): CustomApiType? = CustomApiType.entries.firstOrNull { typeName(it) == name }

    private fun bindingValue(type: CustomApiBindingType): Int = when (type) {
        CustomApiBindingType.GLOBAL -> 0
        CustomApiBindingType.ENTITY -> 1
        CustomApiBindingType.ENTITY_COLLECTION -> 2
    }

    private val typeOptions = TYPE_LABELS.mapIndexed { index, label -> OptionDefinition(index, label) }

    /** The three tables, as every environment has them (the columns Learn's custom API query reads, and their names). */
    fun tables(): List<TableDefinition> = listOf(api(), member(PARAMETER, "CustomAPIRequestParameter", "customapirequestparameters", "CustomAPIRequestParameters", true),
        member(PROPERTY, "CustomAPIResponseProperty", "customapiresponseproperties", "CustomAPIResponseProperties", false))

    private fun api(): TableDefinition {
        val columns = ColumnFactory(API)
        return TableDefinition(
            logicalName = API, schemaName = "CustomAPI", entitySetName = "customapis", primaryIdAttribute = "customapiid",
            primaryNameAttribute = "name", displayName = "Custom API", displayCollectionName = "Custom APIs",
            metadataId = StableIds.of("table", API),
            columns = listOf(
                columns.primaryId("customapiid", "CustomAPIId", "Custom API"),
                columns.text("name", "Name", "Name", 100),
                columns.text("uniquename", "UniqueName", "Unique Name", 128),
                columns.text("displayname", "DisplayName", "Display Name", 100),
                columns.choice("bindingtype", "BindingType", "Binding Type", listOf(OptionDefinition(0, "Global"), OptionDefinition(1, "Entity"), OptionDefinition(2, "EntityCollection"))),
                columns.text("boundentitylogicalname", "BoundEntityLogicalName", "Bound Entity Logical Name", 100),
                columns.boolean("isfunction", "IsFunction", "Is Function", "Yes", "No"),
                columns.boolean("isprivate", "IsPrivate", "Is Private", "Yes", "No"),
            ) + columns.systemColumns(),
            ownershipType = "UserOwned",
        )
    }

    private fun member(table: String, schema: String, set: String, reverse: String, request: Boolean): TableDefinition {
        val columns = ColumnFactory(table)
        val lookup: ColumnDefinition = columns.lookup(
            "customapiid", "CustomAPIId", "Custom API", listOf(LookupTarget(API, "CustomAPIId", reverse, "${API}_$table")),
        )
        return TableDefinition(
            logicalName = table, schemaName = schema, entitySetName = set, primaryIdAttribute = "${table}id",
            primaryNameAttribute = "name", displayName = schema, displayCollectionName = reverse,
            metadataId = StableIds.of("table", table),
            columns = listOfNotNull(
                columns.primaryId("${table}id", "${schema}Id", schema),
                columns.text("name", "Name", "Name", 100),
                columns.text("uniquename", "UniqueName", "Unique Name", 128),
                columns.text("displayname", "DisplayName", "Display Name", 100),
                columns.choice("type", "Type", "Type", typeOptions),
                columns.text("logicalentityname", "LogicalEntityName", "Logical Entity Name", 100),
                if (request) columns.boolean("isoptional", "IsOptional", "Is Optional", "Yes", "No") else null,
                lookup,
            ) + columns.systemColumns(),
            ownershipType = "None",
        )
    }

    /** Rewrites the records of the three tables from [apis], the registered custom APIs by name. */
    fun sync(store: RecordStore, apis: Map<String, MessageDefinition>) {
        val apiTable = store.table(API) ?: return
        val parameterTable = store.table(PARAMETER) ?: return
        val propertyTable = store.table(PROPERTY) ?: return
        val apiRows = ArrayList<StoredRecord>()
        val parameterRows = ArrayList<StoredRecord>()
        val propertyRows = ArrayList<StoredRecord>()
        for (api in apis.values.sortedBy { it.name }) {
            val id = StableIds.of("customapi", api.name)
            apiRows += record(
                store, id, "customapiid",
                "name" to api.name, "uniquename" to api.name, "displayname" to api.name, "bindingtype" to bindingValue(api.bindingType),
                "boundentitylogicalname" to api.boundTable, "isfunction" to api.isFunction, "isprivate" to false,
            )
            for (parameter in api.parameters) {
                parameterRows += record(
                    store, StableIds.of("customapirequestparameter", api.name, parameter.uniqueName), "${PARAMETER}id",
                    "name" to "${api.name}.${parameter.uniqueName}", "uniquename" to parameter.uniqueName, "displayname" to parameter.uniqueName,
                    "type" to typeValue(parameter.type), "logicalentityname" to api.shape?.parameterTables?.get(parameter.uniqueName),
                    "isoptional" to parameter.isOptional, "customapiid" to LookupValue(API, id),
                )
            }
            for ((name, type, table) in api.shape?.responseProperties.orEmpty()) {
                propertyRows += record(
                    store, StableIds.of("customapiresponseproperty", api.name, name), "${PROPERTY}id",
                    "name" to "${api.name}.$name", "uniquename" to name, "displayname" to name,
                    "type" to typeValue(type), "logicalentityname" to table, "customapiid" to LookupValue(API, id),
                )
            }
        }
        replace(apiTable, apiRows)
        replace(parameterTable, parameterRows)
        replace(propertyTable, propertyRows)
    }

    private const val VERSION = "versionnumber"

    private fun record(store: RecordStore, id: java.util.UUID, idColumn: String, vararg values: Pair<String, Any?>): StoredRecord {
        val version = store.nextVersion()
        return StoredRecord(id, linkedMapOf<String, Any?>(idColumn to id, "versionnumber" to version).apply { putAll(values) }, version)
    }

    private fun replace(table: dev.dataverse.emulator.internal.store.TableStore, rows: List<StoredRecord>) {
        table.write { writer ->
            val keep = rows.map { it.id }.toSet()
            table.all().map { it.id }.filter { it !in keep }.forEach { writer.remove(it) }
            for (row in rows) {
                val existing = table.get(row.id)
                // An unchanged record keeps its version, so change tracking and ETags see no change.
                if (existing == null || existing.values - VERSION != row.values - VERSION) writer.put(row)
            }
        }
    }
}
