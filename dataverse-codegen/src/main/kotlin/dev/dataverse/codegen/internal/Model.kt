package dev.dataverse.codegen.internal

import dev.dataverse.schema.ColumnSchema
import dev.dataverse.schema.CustomApiBindingType
import dev.dataverse.schema.CustomApiSchema
import dev.dataverse.schema.SchemaSnapshot
import dev.dataverse.schema.TableSchema

/** What a column becomes in generated code. */
internal enum class Kind { STRING, INT, LONG, DECIMAL, DOUBLE, BOOLEAN, INSTANT, DATE, UUID, CHOICE, MULTI_CHOICE, LOOKUP, FILE }

/** A choice enum: one per global choice, one per local choice column. */
internal class GenChoice(val typeName: String, val description: String, val options: List<GenOption>)

internal class GenOption(val constant: String, val value: Int, val label: String?)

internal class GenColumn(
    val logicalName: String,
    val schemaName: String,
    val displayName: String?,
    val kind: Kind,
    val property: String,
    val constant: String,
    val validForCreate: Boolean,
    val validForUpdate: Boolean,
    val isPrimaryId: Boolean,
    /** CHOICE and MULTI_CHOICE: the enum. */
    val choice: GenChoice? = null,
    /** LOOKUP: target table → navigation property, in the snapshot's order. */
    val targets: Map<String, String> = emptyMap(),
    /** LOOKUP with one target that the snapshot holds: that table's model. */
    val target: GenTable? = null,
) {
    val writable: Boolean get() = kind != Kind.FILE && (validForCreate || validForUpdate)

    /** The name `$select` takes: a lookup's value property (Learn: "Lookup properties"), else the logical name. */
    val selectName: String get() = if (kind == Kind.LOOKUP) "_${logicalName}_value" else logicalName
}

internal class GenTable(val schema: TableSchema, val typeName: String) {
    val idTypeName: String get() = "${typeName}Id"
    lateinit var columns: List<GenColumn>
    /** Columns the service could not say anything typed about, with the reason, for the file's header. */
    val skipped = mutableListOf<String>()
    val primaryId: GenColumn get() = columns.single { it.isPrimaryId }
    val needsAnnotations: Boolean get() = columns.any { it.kind == Kind.LOOKUP && it.targets.size > 1 }
}

/** Learn's custom API data types ("Create and use custom APIs", `Type` of request parameters and response properties). */
internal enum class ApiType(val schemaName: String) {
    BOOLEAN("Boolean"), DATE_TIME("DateTime"), DECIMAL("Decimal"), ENTITY("Entity"), ENTITY_COLLECTION("EntityCollection"),
    ENTITY_REFERENCE("EntityReference"), FLOAT("Float"), INTEGER("Integer"), MONEY("Money"), PICKLIST("Picklist"),
    STRING("String"), STRING_ARRAY("StringArray"), GUID("Guid");

    companion object {
        fun of(name: String, where: String): ApiType = values().firstOrNull { it.schemaName.equals(name, ignoreCase = true) }
            ?: throw dev.dataverse.codegen.CodegenException(
                "$where has type '$name', which is not a custom API type (${values().joinToString { it.schemaName }}).",
            )
    }
}

/** A request parameter or response property of a custom API, with its generated name. */
internal class GenApiValue(val uniqueName: String, val type: ApiType, val optional: Boolean, val table: String?, val property: String)

/** A custom API: its request and response type names, binding and values. */
internal class GenCustomApi(
    val schema: CustomApiSchema,
    val requestType: String,
    val responseType: String,
    /** The name of the bound record's id property; `null` unless bound to a record. */
    val target: String?,
    val parameters: List<GenApiValue>,
    val properties: List<GenApiValue>,
) {
    val boundToRecord: Boolean get() = schema.bindingType == CustomApiBindingType.ENTITY
    val boundToTable: Boolean get() = schema.bindingType == CustomApiBindingType.ENTITY_COLLECTION
    val kindText: String get() = (if (schema.isFunction) "function" else "action") + when (schema.bindingType) {
        CustomApiBindingType.GLOBAL -> ", unbound"
        CustomApiBindingType.ENTITY -> ", bound to a `${schema.boundTable}` record"
        CustomApiBindingType.ENTITY_COLLECTION -> ", bound to the `${schema.boundTable}` table"
    }
}

/** The snapshot resolved into generated names, deterministically. */
internal class GenModel(val tables: List<GenTable>, val choices: List<GenChoice>, val customApis: List<GenCustomApi>) {
    companion object {
        fun of(snapshot: SchemaSnapshot): GenModel {
            val typeNames = Names.unique(snapshot.tables.map { Names.typeName(it.schemaName, "Table") })
            val tables = snapshot.tables.mapIndexed { i, table -> GenTable(table, typeNames[i]) }
            val taken = HashSet<String>()
            tables.forEach { taken += it.typeName; taken += it.idTypeName }
            val byName = tables.associateBy { it.schema.logicalName }
            val globalChoices = LinkedHashMap<String, GenChoice>()
            val choices = mutableListOf<GenChoice>()
            fun choice(table: GenTable, column: ColumnSchema): GenChoice {
                val schema = column.choice!!
                val global = schema.globalName
                if (global != null) globalChoices[global]?.let { return it }
                val base = when {
                    global != null -> Names.typeName(global, "Choice")
                    column.attributeType == "State" -> "${table.typeName}State"
                    column.attributeType == "Status" -> "${table.typeName}Status"
                    else -> table.typeName + Names.typeName(column.schemaName, "Choice")
                }
                val name = Names.unique(listOf(base), taken).single().also { taken += it }
                val options = schema.options.sortedBy { it.value }
                val constants = Names.choiceConstants(options.map { it.value to it.label })
                val description = global?.let { "The global choice `$it`" } ?: "The options of `${table.schema.logicalName}.${column.logicalName}`"
                val result = GenChoice(name, description, options.mapIndexed { j, o -> GenOption(constants[j], o.value, o.label) })
                if (global != null) globalChoices[global] = result
                choices += result
                return result
            }
            for (table in tables) {
                val columns = mutableListOf<GenColumn>()
                val properties = Names.unique(table.schema.columns.map { Names.propertyName(it.schemaName, "column") })
                val constants = Names.unique(table.schema.columns.map { Names.constantName(it.logicalName) })
                table.schema.columns.forEachIndexed { i, column ->
                    val kind = kindOf(column)
                    if (kind == null || !column.validForRead && kind != Kind.FILE) {
                        table.skipped += "${column.logicalName} (${column.attributeType}${if (kind != null) ", not readable" else ""})"
                        return@forEachIndexed
                    }
                    if (kind == Kind.LOOKUP && column.targets.isEmpty()) {
                        table.skipped += "${column.logicalName} (${column.attributeType} without targets)"
                        return@forEachIndexed
                    }
                    // Without a navigation property in the snapshot: a custom lookup's is its schema name, a system one's its logical
                    // name (Learn, "Associate table rows on create"); a guess for snapshots that omit it.
                    val fallback = if (column.isCustom) column.schemaName else column.logicalName
                    val targets = column.targets.associate { it.table to (it.navigationProperty ?: fallback) }
                    columns += GenColumn(
                        logicalName = column.logicalName,
                        schemaName = column.schemaName,
                        displayName = column.displayName,
                        kind = if (column.isPrimaryId || column.logicalName == table.schema.primaryIdColumn) Kind.UUID else kind,
                        property = properties[i],
                        constant = constants[i],
                        validForCreate = column.validForCreate,
                        validForUpdate = column.validForUpdate,
                        isPrimaryId = column.logicalName == table.schema.primaryIdColumn,
                        choice = if (kind == Kind.CHOICE || kind == Kind.MULTI_CHOICE) choice(table, column) else null,
                        targets = targets,
                        target = targets.keys.singleOrNull()?.let { byName[it] },
                    )
                }
                if (columns.none { it.isPrimaryId }) {
                    throw dev.dataverse.codegen.CodegenException(
                        "Table '${table.schema.logicalName}' has no column for its primary id '${table.schema.primaryIdColumn}' in the snapshot.",
                    )
                }
                table.columns = columns.sortedBy { !it.isPrimaryId } // the id first, then by logical name
            }
            return GenModel(tables, choices.sortedBy { it.typeName }, snapshot.customApis.map { customApi(it, taken) })
        }

        /** Members of generated request classes that a parameter's property must not take. */
        private val REQUEST_MEMBERS = listOf("target", "execute", "executeAsync", "toMessageRequest", "options")

        private fun customApi(api: CustomApiSchema, taken: MutableSet<String>): GenCustomApi {
            val base = Names.typeName(api.uniqueName, "CustomApi")
            val (request, response) = Names.unique(listOf("${base}Request", "${base}Response"), taken).also { taken += it }
            val bound = api.bindingType == CustomApiBindingType.ENTITY
            val reserved = REQUEST_MEMBERS.toSet()
            val parameterNames = Names.unique(
                api.requestParameters.map { Names.propertyName(it.uniqueName, "parameter") }.map { if (it in reserved) "${it}_" else it },
                if (bound) setOf("target") else emptySet(),
            )
            val propertyNames = Names.unique(api.responseProperties.map { Names.propertyName(it.uniqueName, "property") })
            return GenCustomApi(
                schema = api,
                requestType = request,
                responseType = response,
                target = if (bound) "target" else null,
                parameters = api.requestParameters.mapIndexed { i, p ->
                    GenApiValue(p.uniqueName, ApiType.of(p.type, "Parameter '${p.uniqueName}' of custom API '${api.uniqueName}'"), p.isOptional, p.table, parameterNames[i])
                },
                properties = api.responseProperties.mapIndexed { i, p ->
                    GenApiValue(p.uniqueName, ApiType.of(p.type, "Response property '${p.uniqueName}' of custom API '${api.uniqueName}'"), true, p.table, propertyNames[i])
                },
            )
        }

        private fun kindOf(column: ColumnSchema): Kind? = when (column.attributeType) {
            "String", "Memo", "EntityName" -> Kind.STRING
            "Integer" -> Kind.INT
            "BigInt" -> Kind.LONG
            "Decimal", "Money" -> Kind.DECIMAL
            "Double" -> Kind.DOUBLE
            "Boolean" -> Kind.BOOLEAN
            "DateTime" -> if (column.dateTimeBehavior == "DateOnly" || column.format == "DateOnly") Kind.DATE else Kind.INSTANT
            "Uniqueidentifier" -> Kind.UUID
            "Lookup", "Customer", "Owner" -> Kind.LOOKUP
            "Picklist", "State", "Status" -> if (column.choice != null) Kind.CHOICE else null
            "MultiSelectPicklist" -> if (column.choice != null) Kind.MULTI_CHOICE else null
            "File", "Image" -> Kind.FILE
            else -> null
        }
    }
}
