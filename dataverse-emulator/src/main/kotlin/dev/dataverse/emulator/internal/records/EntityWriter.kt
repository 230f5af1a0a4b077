package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.Navigation
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.AnnotationFilter
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredRecord
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * Writes records as the service does: `@odata.etag` first, then each projected column (lookups as
 * `_<name>_value`), each preceded by the annotations the client asked for, then expanded navigation properties.
 */
internal class EntityWriter(
    catalog: MetadataCatalog,
    private val store: RecordStore,
    annotations: AnnotationFilter,
) {
    private val columns = ColumnWriter(catalog, store, annotations)

    /** The JSON object of [record] of [table] under [projection], without `@odata.context`. */
    fun write(table: TableDefinition, record: StoredRecord, projection: Projection): JsonObject = buildJsonObject {
        put("@odata.etag", etag(record.version))
        for (column in projection.columns) columns.write(this, column.propertyName, column, record[column.logicalName])
        for (expand in projection.expands) put(expand.navigation.name, expanded(table, record, expand))
    }

    private fun expanded(table: TableDefinition, record: StoredRecord, expand: ExpandProjection) = when (val navigation = expand.navigation) {
        is Navigation.SingleValued -> {
            val lookup = record[navigation.column.logicalName] as LookupValue?
            val related = lookup?.takeIf { it.table == expand.target.logicalName }?.let { store.table(expand.target).get(it.id) }
            related?.let { write(expand.target, it, expand.projection) } ?: JsonNull
        }
        is Navigation.CollectionValued -> {
            val matches: (StoredRecord) -> Boolean = { related ->
                pointsAt(related, navigation, table, record) && (expand.filter?.invoke(related) ?: true)
            }
            val query = RecordQuery(store.table(expand.target), matches, expand.ordering)
            JsonArray(query.page(null, expand.top ?: MAX_EXPANDED_ROWS).rows.map { write(expand.target, it, expand.projection) })
        }
        is Navigation.ManyToMany -> {
            val related = associatedIds(navigation, table, record.id)
            val matches: (StoredRecord) -> Boolean = { it.id in related && (expand.filter?.invoke(it) ?: true) }
            val query = RecordQuery(store.table(expand.target), matches, expand.ordering)
            JsonArray(query.page(null, expand.top ?: MAX_EXPANDED_ROWS).rows.map { write(expand.target, it, expand.projection) })
        }
    }

    private fun associatedIds(navigation: Navigation.ManyToMany, table: TableDefinition, id: java.util.UUID): Set<java.util.UUID> {
        val relationship = navigation.relationship
        val intersect = store.intersect(relationship.schemaName)
        // Reading from entity 1 lists entity 2 records; a self-referencing relationship reads both directions.
        return when {
            relationship.entity1 == relationship.entity2 -> intersect.entity2Of(id) + intersect.entity1Of(id)
            relationship.entity1 == table.logicalName -> intersect.entity2Of(id)
            else -> intersect.entity1Of(id)
        }
    }

    private fun pointsAt(related: StoredRecord, navigation: Navigation.CollectionValued, table: TableDefinition, record: StoredRecord): Boolean {
        val lookup = related[navigation.column.logicalName] as LookupValue? ?: return false
        return lookup.id == record.id && lookup.table == table.logicalName
    }

    companion object {
        private const val MAX_EXPANDED_ROWS = 5000

        /** The weak ETag of a record version: `W/"<version>"`. */
        fun etag(version: Long): String = "W/\"$version\""
    }
}
