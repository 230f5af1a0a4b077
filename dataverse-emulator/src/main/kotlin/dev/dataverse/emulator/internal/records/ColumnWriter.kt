package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.odata.AnnotationFilter
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.put

/**
 * Writes one value into a JSON object under a given name, preceded by the annotations the client asked for: the
 * formatted value, and for lookups the target's display name, the navigation property and the target table.
 */
internal class ColumnWriter(
    private val catalog: MetadataCatalog,
    private val store: RecordStore,
    private val annotations: AnnotationFilter,
) {
    private val formattedValues = annotations.includes(FormattedValues.ANNOTATION)

    /** Writes [value], a stored value of [column], as property [name]. */
    fun write(builder: JsonObjectBuilder, name: String, column: ColumnDefinition, value: Any?) {
        if (value != null) {
            if (formattedValues) FormattedValues.format(column, value)?.let { builder.put("$name@${FormattedValues.ANNOTATION}", it) }
            if (value is LookupValue) annotateLookup(builder, column, name, value)
        }
        builder.put(name, ColumnValues.toJson(value))
    }

    /** Writes a computed [value] (an aggregate) as property [name], with [formatted] as its formatted value. */
    fun writeComputed(builder: JsonObjectBuilder, name: String, value: Any?, formatted: () -> String?) {
        if (value != null && formattedValues) formatted()?.let { builder.put("$name@${FormattedValues.ANNOTATION}", it) }
        builder.put(name, ColumnValues.toJson(value))
    }

    private fun annotateLookup(builder: JsonObjectBuilder, column: ColumnDefinition, name: String, value: LookupValue) {
        if (annotations.isEmpty) return
        val target = catalog.table(value.table)
        val targetName = target?.let { store.table(it).get(value.id)?.get(it.primaryNameAttribute) as String? }
        targetName?.let { annotate(builder, name, FormattedValues.ANNOTATION, it) }
        column.targets.firstOrNull { it.table == value.table }?.let {
            annotate(builder, name, ASSOCIATED_NAVIGATION_PROPERTY, it.navigationProperty)
        }
        annotate(builder, name, LOOKUP_LOGICAL_NAME, value.table)
    }

    private fun annotate(builder: JsonObjectBuilder, property: String, annotation: String, value: String) {
        if (annotations.includes(annotation)) builder.put("$property@$annotation", value)
    }

    companion object {
        const val ASSOCIATED_NAVIGATION_PROPERTY: String = "Microsoft.Dynamics.CRM.associatednavigationproperty"
        const val LOOKUP_LOGICAL_NAME: String = "Microsoft.Dynamics.CRM.lookuplogicalname"
    }
}
