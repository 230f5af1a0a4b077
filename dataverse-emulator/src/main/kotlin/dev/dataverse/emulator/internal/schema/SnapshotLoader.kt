package dev.dataverse.emulator.internal.schema

import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.EmulatorSchemaException
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.messages.CustomApiNames
import dev.dataverse.emulator.internal.messages.CustomApiRecords
import dev.dataverse.emulator.internal.messages.CustomApiShape
import dev.dataverse.emulator.internal.messages.CustomApis
import dev.dataverse.emulator.internal.messages.MessageDefinition
import dev.dataverse.emulator.internal.messages.MessageRegistry
import dev.dataverse.emulator.internal.metadata.MetadataDocuments
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.GlobalOptionSetDefinition
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.ManyToManyDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.OptionDefinition
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.store.RecordStore
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import org.slf4j.LoggerFactory
import java.io.IOException
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale

/**
 * Creates what a schema snapshot file (README "Schema snapshots", format version 1) describes: its tables with their
 * columns, choices, lookups (and so their one-to-many relationships and navigation properties), file and image columns,
 * alternate keys, many-to-many relationships, global choices, and its custom APIs.
 *
 * Tables the emulator already has are merged: table properties and the snapshot's columns and keys replace the
 * emulator's, columns and keys the snapshot does not list stay (the emulator's own record handling relies on some of
 * them). Columns of a type the emulator does not store (`EntityName`, `Virtual`, ...) are skipped, and lookup targets
 * naming a table the emulator does not have are dropped; both are logged. Everything is checked before anything is
 * changed, so a bad file leaves the emulator as it was.
 */
internal class SnapshotLoader(private val file: Path) {
    private class Relationship(
        val schemaName: String, val kind: String, val referencedTable: String, val referencedColumn: String,
        val referencingTable: String, val referencingColumn: String, val navigation: String?, val intersect: String?,
    )

    private class Table(val node: SnapshotNode, val logicalName: String, val relationships: List<Relationship>)

    fun load(catalog: MetadataCatalog, store: RecordStore, messages: MessageRegistry) {
        val root = SnapshotNode(parse(), "", file)
        val version = root.int("formatVersion")
        if (version < 1) root.fail("formatVersion", "$version is not a format version.")
        if (version > FORMAT_VERSION) root.fail("formatVersion", "format version $version is newer than this emulator reads ($FORMAT_VERSION).")
        val tables = root.objects("tables").map { node ->
            Table(node, node.string("logicalName").lowercase(Locale.ROOT), node.objects("relationships").map(::relationship))
        }
        tables.groupBy { it.logicalName }.values.firstOrNull { it.size > 1 }?.let { it[1].node.fail("logicalName", "a second table is named '${it[1].logicalName}'.") }
        val byName = tables.associateBy { it.logicalName }
        val available = catalog.tables().map { it.logicalName }.toSet() + byName.keys
        val optionSets = LinkedHashMap<String, GlobalOptionSetDefinition>()
        val definitions = tables.map { table(it, catalog.table(it.logicalName), byName, available, optionSets) }
        val manyToMany = tables.flatMap { table -> table.relationships.filter { it.kind == "ManyToMany" } }
            .filter { it.referencedTable.lowercase(Locale.ROOT) in available && it.referencingTable.lowercase(Locale.ROOT) in available }
            .distinctBy { it.schemaName.lowercase(Locale.ROOT) }
            .map { manyToMany(it, byName) }
        val apis = root.objects("customApis").map { customApi(it, messages) }
        apis.groupBy { it.name }.values.firstOrNull { it.size > 1 }?.let { root.fail("customApis", "two custom APIs are named '${it[0].name}'.") }

        optionSets.values.forEach { if (catalog.globalOptionSet(it.name) == null) catalog.putGlobalOptionSet(it) }
        for (definition in definitions) {
            catalog.register(definition)
            // A table whose records are stored already (the emulator's own user) switches to the new definition.
            store.table(definition).redefine(definition)
        }
        manyToMany.forEach(catalog::putManyToMany)
        apis.forEach(messages::register)
        log.info("Loaded the schema snapshot '{}': {} tables, {} many-to-many relationships, {} custom APIs.", file, definitions.size, manyToMany.size, apis.size)
    }

    private fun parse(): JsonObject {
        val bytes = try {
            Files.readAllBytes(file)
        } catch (e: IOException) {
            throw EmulatorSchemaException("Cannot read the schema snapshot '$file': ${e.message}", file, null, e)
        }
        val text = try {
            Charsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString().removePrefix("\uFEFF")
        } catch (e: CharacterCodingException) {
            throw EmulatorSchemaException("Cannot load the schema snapshot '$file': it is not UTF-8 text.", file, null, e)
        }
        val element = try {
            Json.parseToJsonElement(text)
        } catch (e: SerializationException) {
            throw EmulatorSchemaException("Cannot load the schema snapshot '$file': not JSON (${e.message?.lineSequence()?.firstOrNull()}).", file, null, e)
        }
        return element as? JsonObject ?: throw EmulatorSchemaException("Cannot load the schema snapshot '$file': the document must be a JSON object.", file, null)
    }

    private fun relationship(node: SnapshotNode): Relationship {
        val kind = node.string("kind")
        if (kind !in KINDS) node.fail("kind", "'$kind' is not one of ${KINDS.joinToString()}.")
        val intersect = node.stringOrNull("intersectTable")
        if (kind == "ManyToMany" && intersect == null) node.fail("intersectTable", "a many-to-many relationship needs 'intersectTable'.")
        return Relationship(
            node.string("schemaName"), kind, node.string("referencedTable"), node.string("referencedColumn"),
            node.string("referencingTable"), node.string("referencingColumn"), node.stringOrNull("navigationProperty"), intersect,
        )
    }

    private fun table(
        table: Table,
        existing: TableDefinition?,
        all: Map<String, Table>,
        available: Set<String>,
        optionSets: MutableMap<String, GlobalOptionSetDefinition>,
    ): TableDefinition {
        val node = table.node
        val name = table.logicalName
        val primaryId = node.string("primaryIdColumn").lowercase(Locale.ROOT)
        val factory = ColumnFactory(name)
        val columnNodes = node.objects("columns")
        columnNodes.groupBy { it.string("logicalName").lowercase(Locale.ROOT) }.values.firstOrNull { it.size > 1 }
            ?.let { it[1].fail("logicalName", "a second column is named '${it[1].string("logicalName")}'.") }
        // A file column brings its supporting `<name>_name` column; one the snapshot also lists as text gives way to it.
        val loaded = columnNodes.flatMap { column(it, table, existing, all, available, factory, optionSets) }
            .groupBy { it.logicalName }.values.map { same -> same.firstOrNull { it.attributeOf != null } ?: same.first() }
        val names = loaded.map { it.logicalName }.toSet()
        val kept = existing?.columns.orEmpty().filter { it.logicalName !in names }
        var columns = loaded + kept
        if (columns.none { it.logicalName == primaryId }) {
            // The emulator addresses records by their primary id column: a snapshot that leaves it out still gets it.
            columns = listOf(factory.primaryId(primaryId, node.string("schemaName") + "Id", node.textOrNull("displayName") ?: name)) + columns
        }
        columns = pairStates(columns, existing)
        val keys = node.objects("alternateKeys").map { key ->
            val logicalName = key.string("logicalName")
            val attributes = key.strings("columns").map { it.lowercase(Locale.ROOT) }
            attributes.firstOrNull { it !in columns.map { c -> c.logicalName } }?.let { key.fail("columns", "the table has no column '$it'.") }
            existing?.keys?.firstOrNull { it.logicalName.equals(logicalName, ignoreCase = true) }?.copy(keyAttributes = attributes)
                ?: AlternateKeyDefinition(logicalName, logicalName, logicalName, attributes, StableIds.of("key", name, logicalName.lowercase(Locale.ROOT)))
        }
        val keyNames = keys.map { it.logicalName.lowercase(Locale.ROOT) }.toSet()
        val tableType = node.string("tableType")
        return TableDefinition(
            logicalName = name,
            schemaName = node.string("schemaName"),
            entitySetName = node.string("entitySetName"),
            primaryIdAttribute = primaryId,
            primaryNameAttribute = node.stringOrNull("primaryNameColumn")?.lowercase(Locale.ROOT) ?: "",
            displayName = node.textOrNull("displayName") ?: "",
            displayCollectionName = node.textOrNull("displayCollectionName") ?: "",
            metadataId = existing?.metadataId ?: StableIds.of("table", name),
            columns = columns,
            keys = keys + existing?.keys.orEmpty().filter { it.logicalName.lowercase(Locale.ROOT) !in keyNames },
            composedColumns = existing?.composedColumns.orEmpty().filter { composed -> (composed.parts + composed.column).all { part -> columns.any { it.logicalName == part } } },
            objectTypeCode = existing?.objectTypeCode,
            isCustomEntity = node.boolean("isCustom"),
            ownershipType = node.stringOrNull("ownership") ?: existing?.ownershipType ?: "UserOwned",
            changeTrackingEnabled = node.boolean("changeTrackingEnabled"),
            tableType = tableType,
        )
    }

    private fun column(
        node: SnapshotNode,
        table: Table,
        existing: TableDefinition?,
        all: Map<String, Table>,
        available: Set<String>,
        factory: ColumnFactory,
        optionSets: MutableMap<String, GlobalOptionSetDefinition>,
    ): List<ColumnDefinition> {
        val name = node.string("logicalName").lowercase(Locale.ROOT)
        val schemaName = node.string("schemaName")
        val attributeType = node.string("attributeType")
        val format = node.stringOrNull("format")
        val behavior = node.stringOrNull("dateTimeBehavior")
        val type = when (attributeType) {
            "DateTime" -> if (format == "DateOnly" || behavior == "DateOnly") ColumnType.DATE_ONLY else ColumnType.DATE_TIME
            "MultiSelectPicklist" -> ColumnType.MULTI_SELECT_PICKLIST
            "File" -> ColumnType.FILE
            "Image" -> ColumnType.IMAGE
            else -> ColumnType.entries.firstOrNull { it.attributeType == attributeType && it.attributeType != "Virtual" && it != ColumnType.DATE_ONLY }
        }
        if (type == null) {
            log.warn("Schema snapshot '{}': {}.{} has the type '{}', which the emulator does not store; the column is skipped.", file, table.logicalName, name, attributeType)
            return emptyList()
        }
        val builtIn = existing?.column(name)
        val display = node.textOrNull("displayName") ?: ""
        val choice = node.objectOrNull("choice")
        val options = choice?.objects("options")?.map { OptionDefinition(it.int("value"), it.textOrNull("label") ?: "") }.orEmpty()
        options.groupBy { it.value }.values.firstOrNull { it.size > 1 }?.let { choice!!.fail("options", "two options have the value ${it[0].value}.") }
        val globalName = choice?.stringOrNull("globalName")
        val targets = node.objects("targets", required = false).mapNotNull { target -> target(target, name, type, table, builtIn, all, available) }
        if (type.isLookup && targets.isEmpty()) {
            log.warn("Schema snapshot '{}': the lookup {}.{} points to no table the emulator has; the column is skipped.", file, table.logicalName, name)
            return emptyList()
        }
        val definition = ColumnDefinition(
            logicalName = name,
            schemaName = schemaName,
            type = type,
            displayName = display,
            metadataId = builtIn?.metadataId ?: StableIds.of("attribute", table.logicalName, name),
            maxLength = node.intOrNull("maxLength"),
            minValue = node.decimalOrNull("minValue"),
            maxValue = node.decimalOrNull("maxValue"),
            precision = node.intOrNull("precision"),
            format = format?.takeIf { type == ColumnType.STRING } ?: builtIn?.format?.takeIf { type == ColumnType.STRING || type == ColumnType.MEMO },
            options = when (type) {
                ColumnType.BOOLEAN -> booleanOptions(options)
                else -> if (type.hasOptions) options.map { option -> builtIn?.option(option.value)?.let { option.copy(state = it.state, defaultStatus = it.defaultStatus) } ?: option } else emptyList()
            },
            targets = targets,
            validForCreate = node.boolean("validForCreate"),
            validForUpdate = node.boolean("validForUpdate"),
            defaultValue = when (type) {
                ColumnType.BOOLEAN -> builtIn?.defaultValue ?: false
                ColumnType.STATE, ColumnType.STATUS -> builtIn?.defaultValue ?: options.firstOrNull()?.value
                else -> builtIn?.defaultValue
            },
            maxSizeInKB = node.intOrNull("maxSizeInKB"),
            isCustom = node.boolean("isCustom"),
            globalOptionSet = globalName?.takeIf { type.hasOptions },
        )
        if (globalName != null && type.hasOptions) {
            optionSets.getOrPut(globalName.lowercase(Locale.ROOT)) {
                GlobalOptionSetDefinition(globalName, MetadataDocuments.globalOptionSetId(globalName), globalName, null, definition.options)
            }
        }
        if (!type.isFile) return listOf(definition)
        val supporting = existing?.fileNameColumn(definition)?.takeIf { it.attributeOf == name } ?: factory.fileName(name, schemaName, display)
        return listOf(definition, supporting)
    }

    /** A yes/no column has the options 0 (false) and 1 (true); a snapshot that lacks one gets `No`/`Yes`. */
    private fun booleanOptions(options: List<OptionDefinition>): List<OptionDefinition> {
        val byValue = options.associateBy { it.value }
        return listOf(byValue[1] ?: OptionDefinition(1, "Yes"), byValue[0] ?: OptionDefinition(0, "No"))
    }

    private fun target(
        node: SnapshotNode,
        column: String,
        type: ColumnType,
        table: Table,
        builtIn: ColumnDefinition?,
        all: Map<String, Table>,
        available: Set<String>,
    ): LookupTarget? {
        val target = node.string("table").lowercase(Locale.ROOT)
        if (!type.isLookup) node.fail(null, "only Lookup, Customer and Owner columns have targets.")
        if (target !in available) {
            log.warn("Schema snapshot '{}': the lookup {}.{} points to '{}', a table the emulator does not have; that target is dropped.", file, table.logicalName, column, target)
            return null
        }
        val relationship = table.relationships.firstOrNull {
            it.kind == "ManyToOne" && it.referencingColumn.equals(column, ignoreCase = true) && it.referencedTable.equals(target, ignoreCase = true)
        }
        val known = builtIn?.targets?.firstOrNull { it.table == target }
        val schemaName = relationship?.schemaName ?: known?.relationshipSchemaName ?: "${target}_${table.logicalName}_$column"
        val reverse = all[target]?.relationships?.firstOrNull { it.kind == "OneToMany" && it.schemaName.equals(schemaName, ignoreCase = true) }?.navigation
            ?: known?.reverseNavigation ?: schemaName
        val navigation = node.stringOrNull("navigationProperty") ?: relationship?.navigation ?: known?.navigationProperty ?: column
        return LookupTarget(target, navigation, reverse, schemaName, isCustom = known?.isCustom ?: (known == null))
    }

    /**
     * Pairs statuses with states, which a snapshot does not record: the emulator's own pairing for a table it has, else
     * (a guess: the pairing of a new custom table, Active 0 with status 1 and Inactive 1 with status 2) when the values
     * are exactly those.
     */
    private fun pairStates(columns: List<ColumnDefinition>, existing: TableDefinition?): List<ColumnDefinition> {
        val state = columns.firstOrNull { it.type == ColumnType.STATE } ?: return columns
        val status = columns.firstOrNull { it.type == ColumnType.STATUS } ?: return columns
        if (status.options.any { it.state != null } || existing?.column(status.logicalName) != null) return columns
        if (state.options.map { it.value }.toSet() != setOf(0, 1) || !status.options.map { it.value }.containsAll(listOf(1, 2))) return columns
        return columns.map { column ->
            when (column.logicalName) {
                state.logicalName -> column.copy(options = column.options.map { it.copy(defaultStatus = it.value + 1) })
                status.logicalName -> column.copy(options = column.options.map { if (it.value in 1..2) it.copy(state = it.value - 1) else it })
                else -> column
            }
        }
    }

    private fun manyToMany(relationship: Relationship, all: Map<String, Table>): ManyToManyDefinition {
        val entity1 = relationship.referencedTable.lowercase(Locale.ROOT)
        val entity2 = relationship.referencingTable.lowercase(Locale.ROOT)
        fun navigation(table: String): String? = all[table]?.relationships
            ?.firstOrNull { it.kind == "ManyToMany" && it.schemaName.equals(relationship.schemaName, ignoreCase = true) }?.navigation
        return ManyToManyDefinition(
            relationship.schemaName, entity1, entity2, relationship.intersect!!,
            navigation(entity1) ?: relationship.schemaName, (if (entity1 == entity2) null else navigation(entity2)) ?: relationship.schemaName,
            StableIds.of("relationship", relationship.schemaName),
        )
    }

    private fun customApi(node: SnapshotNode, messages: MessageRegistry): MessageDefinition {
        val name = node.string("uniqueName")
        if (!CustomApiNames.isValid(name)) node.fail("uniqueName", "'$name' is not a custom API unique name.")
        if (messages.isStandard(name)) node.fail("uniqueName", "'$name' is a standard message the emulator serves itself.")
        val binding = when (val text = node.string("bindingType")) {
            "Global" -> CustomApiBindingType.GLOBAL
            "Entity" -> CustomApiBindingType.ENTITY
            "EntityCollection" -> CustomApiBindingType.ENTITY_COLLECTION
            else -> node.fail("bindingType", "'$text' is not one of Global, Entity, EntityCollection.")
        }
        val bound = node.stringOrNull("boundTable")?.lowercase(Locale.ROOT)
        if (binding != CustomApiBindingType.GLOBAL && bound == null) node.fail("boundTable", "a bound custom API needs 'boundTable'.")
        val parameterNodes = node.objects("requestParameters")
        val parameters = parameterNodes.map { CustomApiParameter(it.string("uniqueName"), type(it), it.boolean("isOptional")) }
        val tables = parameterNodes.mapNotNull { p -> p.stringOrNull("table")?.let { p.string("uniqueName") to it } }.toMap()
        val properties = node.objects("responseProperties").map { Triple(it.string("uniqueName"), type(it), it.stringOrNull("table")) }
        val isFunction = node.boolean("isFunction")
        return MessageDefinition(
            name, isFunction, binding, bound.takeIf { binding != CustomApiBindingType.GLOBAL }, parameters,
            shape = CustomApiShape(properties, tables),
        ) {
            // A guess: Learn does not say what a custom API without a plug-in answers. A snapshot gives the emulator the
            // API's shape but not what it does, so the call is checked (method, binding, parameters) and then refused as
            // a plug-in failure would be, telling how to give it a behaviour.
            throw ApiException(
                400, CustomApis.PLUGIN_FAILURE,
                "The custom API '$name' was loaded from a schema snapshot and has no implementation in the emulator; " +
                    "register one with DataverseEmulator.registerCustomApi.",
            )
        }
    }

    private fun type(node: SnapshotNode) = node.string("type").let { text ->
        CustomApiRecords.typeNamed(text) ?: node.fail("type", "'$text' is not a custom API parameter type.")
    }

    private companion object {
        const val FORMAT_VERSION = 1
        val KINDS = setOf("OneToMany", "ManyToOne", "ManyToMany")
        val log = LoggerFactory.getLogger(SnapshotLoader::class.java)
    }
}
