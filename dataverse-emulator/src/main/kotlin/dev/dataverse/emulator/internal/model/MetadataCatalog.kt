package dev.dataverse.emulator.internal.model

import java.util.Locale
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/** A navigation property of a table, derived from the lookup columns of the catalog. */
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
}

/** The tables the emulator knows. Thread-safe, so tables can be added while requests are served. */
internal class MetadataCatalog(tables: List<TableDefinition>) {
    private val byLogicalName = ConcurrentHashMap<String, TableDefinition>()
    private val byEntitySet = ConcurrentHashMap<String, TableDefinition>()

    init {
        tables.forEach(::register)
    }

    /** Adds or replaces [table]. */
    fun register(table: TableDefinition) {
        byLogicalName[table.logicalName] = table
        byEntitySet[table.entitySetName] = table
    }

    /** All tables, ordered by logical name. */
    fun tables(): List<TableDefinition> = byLogicalName.values.sortedBy { it.logicalName }

    /** The table with this logical name, compared case-insensitively as the service does, or null. */
    fun table(logicalName: String): TableDefinition? = byLogicalName[logicalName.lowercase(Locale.ROOT)]

    /** The table whose entity set is exactly [entitySetName], or null. */
    fun tableBySet(entitySetName: String): TableDefinition? = byEntitySet[entitySetName]

    /** The table with this metadata id, or null. */
    fun tableByMetadataId(id: UUID): TableDefinition? = byLogicalName.values.firstOrNull { it.metadataId == id }

    /** The navigation property [name] of [table], single- or collection-valued, or null. */
    fun navigation(table: TableDefinition, name: String): Navigation? {
        table.navigation(name)?.let { (column, target) -> return Navigation.SingleValued(name, column, target.table) }
        for (source in byLogicalName.values) {
            for (column in source.columns) {
                val target = column.targets.firstOrNull { it.reverseNavigation == name && it.table == table.logicalName }
                if (target != null) return Navigation.CollectionValued(name, column, source.logicalName)
            }
        }
        return null
    }
}
