package dev.dataverse.emulator.internal.model

import java.util.Locale
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/** A navigation property of a table, derived from the lookup columns and many-to-many relationships of the catalog. */
internal sealed interface Navigation {
    val name: String

    /** The table the navigation leads to. */
    val targetTable: String

    /** `account.primarycontactid`: the record the lookup [column] of this table points to. */
    data class SingleValued(override val name: String, val column: ColumnDefinition, override val targetTable: String) :
        Navigation

    /** `account.contact_customer_accounts`: the records of [targetTable] whose lookup [column] points here. */
    data class CollectionValued(override val name: String, val column: ColumnDefinition, override val targetTable: String) :
        Navigation

    /** A side of many-to-many [relationship]: the records of [targetTable] associated with this one. */
    data class ManyToMany(override val name: String, val relationship: ManyToManyDefinition, override val targetTable: String) :
        Navigation
}

/** A one-to-many relationship, seen from the lookup column that implements it. */
internal data class OneToManyView(val referencing: TableDefinition, val column: ColumnDefinition, val target: LookupTarget) {
    val schemaName: String get() = target.relationshipSchemaName
    val referenced: String get() = target.table
}

/**
 * The tables and relationships the emulator knows. Reads are lock-free over immutable definitions; changes replace a
 * definition as a whole, so a request sees a table either before or after a change. Callers serialise changes
 * (see `SchemaEditor`), which keeps multi-step checks such as "the name is free" atomic.
 */
internal class MetadataCatalog(tables: List<TableDefinition>) {
    private val byLogicalName = ConcurrentHashMap<String, TableDefinition>()
    private val byEntitySet = ConcurrentHashMap<String, TableDefinition>()
    private val manyToMany = ConcurrentHashMap<String, ManyToManyDefinition>()
    private val globalOptionSets = ConcurrentHashMap<String, GlobalOptionSetDefinition>()

    init {
        tables.forEach(::register)
    }

    /** Adds or replaces [table]. */
    fun register(table: TableDefinition) {
        byLogicalName.put(table.logicalName, table)?.let { previous ->
            if (previous.entitySetName != table.entitySetName) byEntitySet.remove(previous.entitySetName)
        }
        byEntitySet[table.entitySetName] = table
    }

    /** Removes the table [logicalName]; relationships pointing at it are the caller's to remove. */
    fun unregister(logicalName: String) {
        byLogicalName.remove(logicalName)?.let { byEntitySet.remove(it.entitySetName) }
    }

    /** Adds or replaces the global choice [optionSet]. */
    fun putGlobalOptionSet(optionSet: GlobalOptionSetDefinition) {
        globalOptionSets[optionSet.name.lowercase(Locale.ROOT)] = optionSet
    }

    /** Removes the global choice [name]. */
    fun removeGlobalOptionSet(name: String) {
        globalOptionSets.remove(name.lowercase(Locale.ROOT))
    }

    /** The global choice named [name] (case-insensitively), or null. */
    fun globalOptionSet(name: String): GlobalOptionSetDefinition? = globalOptionSets[name.lowercase(Locale.ROOT)]

    /** The global choice whose MetadataId is [id], or null. */
    fun globalOptionSet(id: UUID): GlobalOptionSetDefinition? = globalOptionSets.values.firstOrNull { it.metadataId == id }

    /** Every global choice, ordered by name. */
    fun globalOptionSets(): List<GlobalOptionSetDefinition> = globalOptionSets.values.sortedBy { it.name.lowercase(Locale.ROOT) }

    /** All tables, ordered by logical name. */
    fun tables(): List<TableDefinition> = byLogicalName.values.sortedBy { it.logicalName }

    /** The table with this logical name, compared case-insensitively as the service does, or null. */
    fun table(logicalName: String): TableDefinition? = byLogicalName[logicalName.lowercase(Locale.ROOT)]

    /** The table whose entity set is exactly [entitySetName], or null. */
    fun tableBySet(entitySetName: String): TableDefinition? = byEntitySet[entitySetName]

    /** The table with this metadata id, or null. */
    fun tableByMetadataId(id: UUID): TableDefinition? = byLogicalName.values.firstOrNull { it.metadataId == id }

    /** Adds or replaces many-to-many [relationship]. */
    fun putManyToMany(relationship: ManyToManyDefinition) {
        manyToMany[relationship.schemaName.lowercase(Locale.ROOT)] = relationship
    }

    /** Removes the many-to-many relationship [schemaName]. */
    fun removeManyToMany(schemaName: String) {
        manyToMany.remove(schemaName.lowercase(Locale.ROOT))
    }

    /** Every many-to-many relationship, ordered by schema name. */
    fun manyToManyRelationships(): List<ManyToManyDefinition> = manyToMany.values.sortedBy { it.schemaName }

    /** Every one-to-many relationship (one per lookup target), ordered by schema name. */
    fun oneToManyRelationships(): List<OneToManyView> =
        byLogicalName.values.flatMap { table ->
            table.columns.filter { it.type.isLookup }.flatMap { column -> column.targets.map { OneToManyView(table, column, it) } }
        }.sortedBy { it.schemaName }

    /** Whether a relationship of either kind is named [schemaName] (case-insensitively). */
    fun hasRelationship(schemaName: String): Boolean =
        manyToMany.containsKey(schemaName.lowercase(Locale.ROOT)) ||
            oneToManyRelationships().any { it.schemaName.equals(schemaName, ignoreCase = true) }

    /** The navigation property [name] of [table], single- or collection-valued, or null. */
    fun navigation(table: TableDefinition, name: String): Navigation? {
        table.navigation(name)?.let { (column, target) -> return Navigation.SingleValued(name, column, target.table) }
        for (source in byLogicalName.values) {
            for (column in source.columns) {
                val target = column.targets.firstOrNull { it.reverseNavigation == name && it.table == table.logicalName }
                if (target != null) return Navigation.CollectionValued(name, column, source.logicalName)
            }
        }
        for (relationship in manyToMany.values) {
            if (relationship.entity1 == table.logicalName && relationship.entity1NavigationPropertyName == name) {
                return Navigation.ManyToMany(name, relationship, relationship.entity2)
            }
            if (relationship.entity2 == table.logicalName && relationship.entity2NavigationPropertyName == name) {
                return Navigation.ManyToMany(name, relationship, relationship.entity1)
            }
        }
        return null
    }
}
