package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.model.ColumnDefinition
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
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * Writes records as the service does: `@odata.etag` first, then each projected column (lookups as
 * `_<name>_value`), each preceded by the annotations the client asked for, then expanded navigation properties.
 */
internal class EntityWriter(
    private val catalog: MetadataCatalog,
    private val store: RecordStore,
    private val annotations: AnnotationFilter,
) {
    private val formattedValues = annotations.includes(FormattedValues.ANNOTATION)

    /** The JSON object of [record] of [table] under [projection], without `@odata.context`. */
    fun write(table: TableDefinition, record: StoredRecord, projection: Projection): JsonObject = buildJsonObject {
        put("@odata.etag", etag(record.version))
        for (column in projection.columns) writeColumn(column, record[column.logicalName])
        for (expand in projection.expands) put(expand.navigation.name, expanded(table, record, expand))
    }

    private fun JsonObjectBuilder.writeColumn(column: ColumnDefinition, value: Any?) {
        val name = column.propertyName
        if (value != null) {
            if (formattedValues) FormattedValues.format(column, value)?.let { put("$name@${FormattedValues.ANNOTATION}", it) }
            if (value is LookupValue) annotateLookup(column, name, value)
        }
        put(name, ColumnValues.toJson(value))
    }

    private fun JsonObjectBuilder.annotateLookup(column: ColumnDefinition, name: String, value: LookupValue) {
        if (annotations.isEmpty) return
        val target = catalog.table(value.table)
        val targetName = target?.let { store.table(it).get(value.id)?.get(it.primaryNameAttribute) as String? }
        targetName?.let { annotate(name, FormattedValues.ANNOTATION, it) }
        column.targets.firstOrNull { it.table == value.table }?.let {
            annotate(name, ASSOCIATED_NAVIGATION_PROPERTY, it.navigationProperty)
        }
        annotate(name, LOOKUP_LOGICAL_NAME, value.table)
    }

    private fun JsonObjectBuilder.annotate(property: String, annotation: String, value: String) {
        if (annotations.includes(annotation)) put("$property@$annotation", value)
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
    }

    private fun pointsAt(related: StoredRecord, navigation: Navigation.CollectionValued, table: TableDefinition, record: StoredRecord): Boolean {
        val lookup = related[navigation.column.logicalName] as LookupValue? ?: return false
        return lookup.id == record.id && lookup.table == table.logicalName
    }

    companion object {
        const val ASSOCIATED_NAVIGATION_PROPERTY: String = "Microsoft.Dynamics.CRM.associatednavigationproperty"
        const val LOOKUP_LOGICAL_NAME: String = "Microsoft.Dynamics.CRM.lookuplogicalname"
        private const val MAX_EXPANDED_ROWS = 5000

        /** The weak ETag of a record version: `W/"<version>"`. */
        fun etag(version: Long): String = "W/\"$version\""
    }
}
