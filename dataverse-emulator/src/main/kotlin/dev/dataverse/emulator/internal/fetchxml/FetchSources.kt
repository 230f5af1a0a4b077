package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.query.QuerySource
import dev.dataverse.emulator.internal.query.SourceColumn
import java.util.IdentityHashMap

/**
 * The table occurrences of a FetchXML query: the root entity (index 0) and every link-entity in document order,
 * parents before children. A link-entity without an alias gets the service's generated one, `<table><n>` (`contact1`).
 */
internal class FetchSources(catalog: MetadataCatalog, root: FetchEntity, rootTable: TableDefinition) {
    private val byEntity = IdentityHashMap<FetchEntity, QuerySource>()
    private val byAlias = HashMap<String, QuerySource>()
    private val generated = HashMap<String, Int>()

    /** Every source, the root first. */
    val all: List<QuerySource>

    /** Every link-entity with the source of its parent, in document order. */
    val links: List<Pair<FetchLink, QuerySource>>

    init {
        val sources = mutableListOf<QuerySource>()
        val links = mutableListOf<Pair<FetchLink, QuerySource>>()
        fun add(entity: FetchEntity, table: TableDefinition, alias: String) {
            if (byAlias.containsKey(alias)) throw ApiErrors.badRequest("The alias '$alias' is used by more than one entity of the FetchXML.")
            val source = QuerySource(sources.size, table, alias)
            sources += source
            byEntity[entity] = source
            byAlias[alias] = source
        }
        fun visit(entity: FetchEntity) {
            for (link in entity.links) {
                val table = catalog.table(link.entity.name)
                    ?: throw ApiErrors.badRequest("The link-entity name '${link.entity.name}' is not a table known to the emulator.")
                add(link.entity, table, link.alias ?: generatedAlias(table.logicalName))
                links += link to of(entity)
                visit(link.entity)
            }
        }
        add(root, rootTable, rootTable.logicalName)
        visit(root)
        all = sources
        this.links = links
    }

    /** The source of [entity]. */
    fun of(entity: FetchEntity): QuerySource = byEntity.getValue(entity)

    /** The source a condition or order with `entityname="[alias]"` refers to. */
    fun byAlias(alias: String): QuerySource =
        byAlias[alias] ?: throw ApiErrors.badRequest("The FetchXML has no link-entity with the alias '$alias' (entityname).")

    /** Column [name] (a logical name) of [source]; an unknown one is the service's 400 naming it. */
    fun column(source: QuerySource, name: String): SourceColumn {
        val column = source.table.column(name) ?: throw ApiErrors.noAttribute(source.table.logicalName, name)
        return SourceColumn(source, column)
    }

    private fun generatedAlias(table: String): String {
        var alias: String
        do {
            val next = (generated[table] ?: 0) + 1
            generated[table] = next
            alias = "$table$next"
        } while (byAlias.containsKey(alias))
        return alias
    }
}
