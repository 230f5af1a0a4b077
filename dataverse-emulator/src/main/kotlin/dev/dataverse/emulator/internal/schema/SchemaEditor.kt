package dev.dataverse.emulator.internal.schema

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.records.ElasticTables
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.GlobalOptionSetDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.LookupTarget
import dev.dataverse.emulator.internal.model.ManyToManyDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.store.RecordStore
import java.time.Duration
import java.time.Instant
import java.util.Locale

/**
 * Changes the schema at runtime: creates and deletes tables, adds and removes columns, relationships and alternate
 * keys. Changes are serialised on this editor's lock, so checks such as "this name is free" hold until the change is
 * made; each change replaces whole immutable definitions in the [catalog] and then brings the [store] in step
 * (dropping values of removed columns, building key indexes). Requests running meanwhile see the schema before or
 * after the change, never half of it.
 */
internal class SchemaEditor(
    private val catalog: MetadataCatalog,
    private val store: RecordStore,
    private val keyActivationDelay: Duration,
    private val clock: () -> Instant = Instant::now,
) {
    private val lock = Any()

    /** The current time as key statuses see it. */
    fun now(): Instant = clock()

    /** Registers new table [table]; its logical name, schema name and entity set must be free. */
    fun createTable(table: TableDefinition): Unit = synchronized(lock) {
        val clash = catalog.tables().firstOrNull {
            it.logicalName == table.logicalName || it.entitySetName.equals(table.entitySetName, ignoreCase = true)
        }
        if (clash != null) {
            throw ApiErrors.duplicateMetadata(ErrorCodes.SCHEMA_NAME_NOT_UNIQUE, "An entity with the specified name '${table.schemaName}' already exists. Specify a unique name.")
        }
        catalog.register(table)
        store.table(table).redefine(table)
    }

    /**
     * Deletes custom table [logicalName] with its records, its lookups on other tables (the one-to-many relationships
     * it takes part in) and its many-to-many relationships.
     */
    fun deleteTable(logicalName: String): Unit = synchronized(lock) {
        val table = catalog.table(logicalName) ?: throw ApiErrors.recordNotFound("EntityMetadata", logicalName)
        if (!table.isCustomEntity) {
            throw ApiException(400, ErrorCodes.INVALID_ARGUMENT, "The entity '${table.logicalName}' is a system entity and cannot be deleted.")
        }
        for (other in catalog.tables()) {
            if (other.logicalName == table.logicalName) continue
            val kept = other.columns.mapNotNull { column ->
                if (!column.type.isLookup) return@mapNotNull column
                val targets = column.targets.filter { it.table != table.logicalName }
                if (targets.isEmpty()) null else column.copy(targets = targets)
            }
            if (kept != other.columns) replace(other.copy(columns = kept))
        }
        catalog.manyToManyRelationships().filter { it.otherSide(table.logicalName) != null }.forEach {
            catalog.removeManyToMany(it.schemaName)
            store.dropIntersect(it.schemaName)
        }
        catalog.unregister(table.logicalName)
        store.drop(table.logicalName)
    }

    /**
     * `PUT EntityDefinitions(<id>)`: the service replaces the definition with the one sent (Learn:
     * create-update-entity-definitions-using-web-api). The emulator applies what it models of it, `ChangeTrackingEnabled`,
     * and checks that the names sent are the table's; other properties keep their values. Change tracking cannot be
     * turned off again (Learn: "Use change tracking to synchronize data with external systems"); the service's error for
     * trying is not documented, so the 400 here is a guess.
     */
    fun updateTable(logicalName: String, changeTrackingEnabled: Boolean?, names: Map<String, String?>): TableDefinition = synchronized(lock) {
        val table = existing(logicalName)
        val own = mapOf("LogicalName" to table.logicalName, "SchemaName" to table.schemaName, "EntitySetName" to table.entitySetName)
        for ((property, value) in names) {
            if (value != null && !value.equals(own[property], ignoreCase = true)) {
                throw ApiErrors.badRequest("The $property '$value' does not match entity '${table.logicalName}': the $property of a table cannot be changed.")
            }
        }
        when (changeTrackingEnabled) {
            null, table.changeTrackingEnabled -> table
            false -> throw ApiErrors.badRequest("Change tracking cannot be disabled for entity '${table.logicalName}' once it has been enabled.")
            true -> replace(table.copy(changeTrackingEnabled = true))
        }
    }

    /** Registers the global choice [optionSet]; its name must be free among global choices. */
    fun createGlobalOptionSet(optionSet: GlobalOptionSetDefinition): Unit = synchronized(lock) {
        if (catalog.globalOptionSet(optionSet.name) != null) {
            throw ApiErrors.duplicateMetadata(ErrorCodes.DUPLICATE_NAME, "An option set with the specified name '${optionSet.name}' already exists. Specify a unique name.")
        }
        catalog.putGlobalOptionSet(optionSet)
    }

    /**
     * Deletes the global choice [name]. A guess at the refusal: Learn does not show deleting a global choice that choice
     * columns still use; the service's solution dependencies refuse it, so the emulator does too, naming them.
     */
    fun deleteGlobalOptionSet(name: String): Unit = synchronized(lock) {
        val optionSet = catalog.globalOptionSet(name) ?: throw ApiErrors.recordNotFound("OptionSetMetadata", name)
        val users = catalog.tables().flatMap { table ->
            table.columns.filter { it.globalOptionSet.equals(optionSet.name, ignoreCase = true) }.map { "${table.logicalName}.${it.logicalName}" }
        }
        if (users.isNotEmpty()) {
            throw ApiException(400, ErrorCodes.INVALID_ARGUMENT, "The option set '${optionSet.name}' cannot be deleted: it is used by ${users.joinToString()}.")
        }
        catalog.removeGlobalOptionSet(optionSet.name)
    }

    /** Adds [columns] (a column and its supporting columns) to [logicalName]; their names must be free. */
    fun addColumns(logicalName: String, columns: List<ColumnDefinition>): TableDefinition = synchronized(lock) {
        val table = existing(logicalName)
        for (column in columns) {
            ElasticTables.requireSupported(table, column)
            if (table.column(column.logicalName) != null || table.columnByProperty(column.propertyName) != null) {
                throw ApiErrors.duplicateMetadata(
                    ErrorCodes.DUPLICATE_ATTRIBUTE_SCHEMA_NAME,
                    "An attribute with the specified name '${column.schemaName}' already exists on entity '${table.logicalName}'. Specify a unique name.",
                )
            }
        }
        replace(table.copy(columns = table.columns + columns))
    }

    /**
     * Removes column [column] of [logicalName], with its supporting columns. Primary columns, system columns and
     * columns that alternate keys use cannot be removed; a lookup is removed by deleting its relationship.
     */
    fun removeColumn(logicalName: String, column: ColumnDefinition): TableDefinition = synchronized(lock) {
        val table = existing(logicalName)
        val system = setOf(table.primaryIdAttribute, table.primaryNameAttribute, "createdon", "modifiedon", "versionnumber", "statecode", "statuscode")
        if (column.logicalName in system || column.attributeOf != null) {
            throw ApiErrors.badRequest("The attribute '${column.logicalName}' of entity '${table.logicalName}' is required by the system and cannot be deleted.")
        }
        if (column.type.isLookup) {
            throw ApiErrors.badRequest(
                "The lookup attribute '${column.logicalName}' is part of relationship '${column.targets.first().relationshipSchemaName}'; delete the relationship instead.",
            )
        }
        table.keys.firstOrNull { column.logicalName in it.keyAttributes }?.let {
            throw ApiErrors.badRequest("The attribute '${column.logicalName}' is used by alternate key '${it.schemaName}'; delete the key first.")
        }
        val removed = setOf(column.logicalName) + table.columns.filter { it.attributeOf == column.logicalName }.map { it.logicalName }
        replace(table.copy(columns = table.columns.filter { it.logicalName !in removed }))
    }

    /**
     * Adds a one-to-many relationship: lookup [lookup] (with one [LookupTarget] naming the referenced table, both
     * navigation properties and the relationship) on [referencing]. The relationship and column names must be free.
     */
    fun addOneToMany(referencing: String, lookup: ColumnDefinition): TableDefinition = synchronized(lock) {
        val target = lookup.targets.single()
        requireRelationshipNameFree(target.relationshipSchemaName)
        existing(target.table)
        addColumns(referencing, listOf(lookup))
    }

    /** Adds many-to-many [relationship]; both tables must exist and the name must be free. */
    fun addManyToMany(relationship: ManyToManyDefinition): Unit = synchronized(lock) {
        requireRelationshipNameFree(relationship.schemaName)
        ElasticTables.requireNotElastic(existing(relationship.entity1), "A many-to-many relationship")
        ElasticTables.requireNotElastic(existing(relationship.entity2), "A many-to-many relationship")
        catalog.putManyToMany(relationship)
    }

    /** Deletes relationship [schemaName] of either kind; a one-to-many relationship takes its lookup column with it. */
    fun deleteRelationship(schemaName: String): Unit = synchronized(lock) {
        val manyToMany = catalog.manyToManyRelationships().firstOrNull { it.schemaName.equals(schemaName, ignoreCase = true) }
        if (manyToMany != null) {
            catalog.removeManyToMany(manyToMany.schemaName)
            store.dropIntersect(manyToMany.schemaName)
            return
        }
        val oneToMany = catalog.oneToManyRelationships().firstOrNull { it.schemaName.equals(schemaName, ignoreCase = true) }
            ?: throw ApiErrors.recordNotFound("RelationshipMetadata", schemaName)
        if (!oneToMany.target.isCustom) {
            throw ApiErrors.badRequest("The relationship '${oneToMany.schemaName}' is a system relationship and cannot be deleted.")
        }
        val table = existing(oneToMany.referencing.logicalName)
        table.keys.firstOrNull { oneToMany.column.logicalName in it.keyAttributes }?.let {
            throw ApiErrors.badRequest("The attribute '${oneToMany.column.logicalName}' is used by alternate key '${it.schemaName}'; delete the key first.")
        }
        val columns = table.columns.mapNotNull { column ->
            if (column.logicalName != oneToMany.column.logicalName) return@mapNotNull column
            val targets = column.targets.filter { it.relationshipSchemaName != oneToMany.schemaName }
            if (targets.isEmpty()) null else column.copy(targets = targets)
        }
        replace(table.copy(columns = columns))
    }

    /**
     * Adds an alternate key over [attributes] of [logicalName]. Its index builds in the background: the key is
     * `Pending`, then `InProgress`, and `Active` once the activation delay has passed; it is `Failed` at once when
     * existing records share values of its columns.
     */
    fun addKey(logicalName: String, schemaName: String, displayName: String, attributes: List<String>): AlternateKeyDefinition = synchronized(lock) {
        val table = existing(logicalName)
        // Learn ("Create elastic tables using code", Alternate keys): no custom alternate keys on elastic tables.
        ElasticTables.requireNotElastic(table, "A custom alternate key")
        val keyName = schemaName.lowercase(Locale.ROOT)
        if (table.keys.any { it.logicalName == keyName }) {
            throw ApiErrors.duplicateMetadata(ErrorCodes.ENTITY_KEY_NAME_EXISTS, "An entity key with the specified name '$schemaName' already exists on entity '${table.logicalName}'. Specify a unique name.")
        }
        if (attributes.isEmpty()) throw ApiErrors.badRequest("An alternate key needs at least one attribute in 'KeyAttributes'.")
        val names = attributes.map { it.lowercase(Locale.ROOT) }
        for (name in names) {
            val column = table.column(name)
                ?: throw ApiErrors.badRequest("The attribute '$name' named in 'KeyAttributes' does not exist on entity '${table.logicalName}'.")
            if (column.type !in KEYABLE) {
                throw ApiErrors.badRequest("The attribute '$name' of type '${column.type.attributeType}' cannot be part of an alternate key.")
            }
        }
        if (names.toSet().size != names.size) throw ApiErrors.badRequest("'KeyAttributes' names an attribute more than once.")
        if (table.keys.any { it.keyAttributes.toSet() == names.toSet() }) {
            throw ApiErrors.duplicateMetadata(ErrorCodes.ENTITY_KEY_ATTRIBUTES_EXIST, "An entity key with the same attributes already exists on entity '${table.logicalName}'.")
        }
        val now = clock()
        val key = AlternateKeyDefinition(
            logicalName = keyName,
            schemaName = schemaName,
            displayName = displayName,
            keyAttributes = names,
            metadataId = java.util.UUID.randomUUID(),
            createdAt = now,
            activeAt = now.plus(keyActivationDelay),
        )
        val updated = table.copy(keys = table.keys + key)
        catalog.register(updated)
        val failed = store.table(updated).redefine(updated)
        if (key.logicalName in failed) {
            val marked = updated.copy(keys = updated.keys.map { if (it.logicalName == key.logicalName) it.copy(failed = true) else it })
            catalog.register(marked)
            store.table(marked).redefine(marked)
            return@synchronized key.copy(failed = true)
        }
        key
    }

    /** Removes alternate key [keyLogicalName] of [logicalName]. */
    fun removeKey(logicalName: String, keyLogicalName: String): Unit = synchronized(lock) {
        val table = existing(logicalName)
        replace(table.copy(keys = table.keys.filter { it.logicalName != keyLogicalName }))
    }

    private fun existing(logicalName: String): TableDefinition =
        catalog.table(logicalName) ?: throw ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "Could not find entity with LogicalName = '$logicalName'.")

    private fun requireRelationshipNameFree(schemaName: String) {
        if (catalog.hasRelationship(schemaName)) {
            throw ApiErrors.duplicateMetadata(ErrorCodes.DUPLICATE_NAME, "A relationship with the specified name '$schemaName' already exists. Specify a unique name.")
        }
    }

    private fun replace(table: TableDefinition): TableDefinition {
        catalog.register(table)
        store.table(table).redefine(table)
        return table
    }

    private companion object {
        val KEYABLE = setOf(
            ColumnType.STRING, ColumnType.INTEGER, ColumnType.BIG_INT, ColumnType.DECIMAL, ColumnType.DOUBLE, ColumnType.MONEY,
            ColumnType.DATE_TIME, ColumnType.DATE_ONLY, ColumnType.PICKLIST, ColumnType.LOOKUP, ColumnType.BOOLEAN,
            ColumnType.UNIQUE_IDENTIFIER,
        )
    }
}
