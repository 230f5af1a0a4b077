package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.Navigation
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.ExpandItem
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.store.StoredRecord

/** An expanded navigation property and what to return of the related records. */
internal data class ExpandProjection(
    val navigation: Navigation,
    val target: TableDefinition,
    val projection: Projection,
    val filter: ((StoredRecord) -> Boolean)?,
    val ordering: RecordOrdering,
    val top: Int?,
)

/**
 * What a response includes of each record: the `$select`ed columns (all when there is no `$select`; the primary
 * id always) and the `$expand`ed navigation properties. [contextSelect] is the `(...)` part of `@odata.context`.
 */
internal data class Projection(
    val columns: List<ColumnDefinition>,
    val expands: List<ExpandProjection>,
    val contextSelect: String?,
) {
    companion object {
        /** The projection [options] ask for on [table], with every name checked. */
        fun of(catalog: MetadataCatalog, table: TableDefinition, options: QueryOptions): Projection =
            of(catalog, table, options, nestedQuery = options.expand.any { it.options.expand.isNotEmpty() })

        /** [nestedQuery]: whether the query has a nested `$expand` anywhere, which changes what its expands may ask for. */
        private fun of(catalog: MetadataCatalog, table: TableDefinition, options: QueryOptions, nestedQuery: Boolean): Projection {
            val selected = options.select?.map { name ->
                table.columnByProperty(name) ?: throw ApiErrors.propertyNotFound(name, table.qualifiedTypeName)
            }
            val columns = (selected ?: table.columns).distinct().let { list ->
                if (table.primaryIdColumn in list) list else list + table.primaryIdColumn
            }
            val expands = options.expand.map { expand(catalog, table, it, nestedQuery) }
            return Projection(columns, expands, contextSelect(options))
        }

        /**
         * Learn ("Join tables using OData"): single-valued navigation properties expand to any depth; with a nested
         * `$expand` anywhere in the query, expanded collections take neither `$top` nor `$orderby`, and N:N
         * relationships cannot be expanded; each refusal with the page's error.
         */
        private fun expand(catalog: MetadataCatalog, table: TableDefinition, item: ExpandItem, nestedQuery: Boolean): ExpandProjection {
            val navigation = catalog.navigation(table, item.navigation)
                ?: throw ApiErrors.propertyNotFound(item.navigation, table.qualifiedTypeName)
            val target = catalog.table(navigation.targetTable)!!
            val options = item.options
            val limited = options.orderBy.isNotEmpty() || options.top != null
            when {
                navigation is Navigation.SingleValued && options.filter != null ->
                    throw ApiErrors.badRequest("Only \$select is allowed when expanding the single-valued navigation property '${item.navigation}'.")
                limited && (navigation is Navigation.SingleValued || nestedQuery) -> throw ApiErrors.badRequest(
                    "Only \$select and \$filter clause can be provided while doing \$expand on many-to-one relationship or nested one-to-many relationship.",
                )
                navigation is Navigation.ManyToMany && nestedQuery -> throw ApiErrors.badRequest(
                    "The navigation property '${item.navigation}' cannot be expanded. Only many-to-one relationships are supported for nested expansion.",
                )
            }
            return ExpandProjection(
                navigation = navigation,
                target = target,
                projection = of(catalog, target, options, nestedQuery),
                filter = options.filter?.let { RecordFilters.compile(target, it) },
                ordering = RecordOrdering.of(target, options.orderBy),
                top = options.top,
            )
        }

        /** `name,primarycontactid(fullname,parentcustomerid_account(name))`: nested expands nest in the context too. */
        private fun contextSelect(options: QueryOptions): String? {
            val parts = options.select.orEmpty() +
                options.expand.map { item -> "${item.navigation}(${contextSelect(item.options).orEmpty()})" }
            return parts.takeIf { it.isNotEmpty() }?.joinToString(",")
        }
    }
}
