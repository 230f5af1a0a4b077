package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.ThreeValued
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.query.Aggregation
import dev.dataverse.emulator.internal.query.Join
import dev.dataverse.emulator.internal.query.OrderKey
import dev.dataverse.emulator.internal.query.OutputColumn
import dev.dataverse.emulator.internal.query.QueryPlan
import dev.dataverse.emulator.internal.query.QuerySource
import dev.dataverse.emulator.internal.query.RowTest
import dev.dataverse.emulator.internal.query.SourceColumn
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore

/** What a FetchXML query returns: rows projected onto [columns], or the groups of [aggregation]. */
internal class FetchPlan(
    val query: QueryPlan,
    val columns: List<OutputColumn>,
    val aggregation: Aggregation?,
    /** How the paging cookie names each sort key (`name`, or `alias.name` for link-entity columns). */
    val orderNames: List<String>,
)

/**
 * Binds a [FetchDocument] to the catalog for a request on [table]'s entity set: the entity must be that table, every
 * table and column must exist, conditions and orders are compiled. Root-entity filters become the query's condition;
 * link-entity filters restrict which records join (so they also hold for outer joins). Orders follow the service: the
 * entity's orders first, then each link-entity's; choice columns sort by label (unless `useraworderby`), lookups by the
 * primary name of the record they point to.
 */
internal class FetchPlanner(
    private val catalog: MetadataCatalog,
    private val store: RecordStore,
    private val table: TableDefinition,
    private val document: FetchDocument,
) {
    private val entity = document.entity
    private lateinit var sources: FetchSources

    /** The plan; any mismatch with the catalog or unsupported combination is a 400. */
    fun plan(): FetchPlan {
        if (!entity.name.equals(table.logicalName, ignoreCase = true)) {
            throw ApiErrors.badRequest(
                "The FetchXML entity '${entity.name}' does not match the entity set '${table.entitySetName}' of table '${table.logicalName}'.",
            )
        }
        checkAttributes()
        sources = FetchSources(catalog, entity, table)
        if (table.isElastic && sources.links.any { (link, _) -> !link.outer }) {
            // Learn ("Use elastic tables using code", Link entities are not supported): elastic tables join only with
            // link-type outer; an inner link-entity (FetchXML's default) fails with this code and message. The status is a guess.
            throw ApiException(400, ErrorCodes.LINK_ENTITIES_NOT_SUPPORTED, "Link entities are not supported")
        }
        val root = sources.of(entity)
        val joins = sources.links.map { (link, parent) ->
            val source = sources.of(link.entity)
            Join(source, sources.column(parent, link.to), sources.column(source, link.from).column, link.outer, filters(source, link.entity.filters))
        }
        val outputs = FetchOutputs(sources, entity, document)
        val plan = if (document.aggregate) {
            val aggregation = outputs.aggregation()
            FetchPlan(QueryPlan(sources.all, joins, filters(root, entity.filters), emptyList()), emptyList(), aggregation, emptyList())
        } else {
            val orders = orders()
            FetchPlan(QueryPlan(sources.all, joins, filters(root, entity.filters), orders.map { it.second }), outputs.columns(), null, orders.map { it.first })
        }
        return plan
    }

    private fun checkAttributes() {
        val paging = document.count != null || document.page != null || document.pagingCookie != null
        if (document.top != null && paging) {
            throw ApiErrors.badRequest("The FetchXML top attribute cannot be combined with paging (count, page or paging-cookie).")
        }
        listOfNotNull(document.count?.let { "count" to it }, document.top?.let { "top" to it }).forEach { (name, value) ->
            if (value > MAX_PAGE_SIZE) throw ApiErrors.badRequest("The FetchXML $name attribute cannot exceed $MAX_PAGE_SIZE (it was $value).")
        }
        if (document.aggregate && document.distinct) throw ApiErrors.badRequest("The FetchXML distinct attribute cannot be combined with aggregate.")
    }

    /** The conjunction of [filters] of the entity of [owner]; null when there are none. */
    private fun filters(owner: QuerySource, filters: List<FetchFilter>): RowTest? =
        if (filters.isEmpty()) null else ThreeValued.all(filters.map { filter(owner, it) })

    private fun filter(owner: QuerySource, filter: FetchFilter): RowTest {
        val tests = filter.criteria.map { criterion ->
            when (criterion) {
                is FetchFilter -> filter(owner, criterion)
                is FetchCondition -> condition(owner, criterion)
            }
        }
        return if (filter.or) ThreeValued.any(tests) else ThreeValued.all(tests)
    }

    private fun condition(owner: QuerySource, condition: FetchCondition): RowTest {
        val source = condition.entityName?.let(sources::byAlias) ?: owner
        // The entity's filters see the whole joined row; a link-entity's filter is applied while joining it, when only
        // it and the entities before it are in place.
        if (owner.index != 0 && source.index > owner.index) {
            throw ApiErrors.badRequest(
                "The condition on '${condition.attribute}' of '${source.alias}' in the filter of link-entity '${owner.alias}' must refer to that " +
                    "link-entity or one before it; put it in the entity's filter instead.",
            )
        }
        return FetchConditions.compile(sources.column(source, condition.attribute), condition)
    }

    /** The sort keys with the names the paging cookie shows: the entity's orders, then each link-entity's. */
    private fun orders(): List<Pair<String, OrderKey>> {
        val root = sources.of(entity)
        val owned = entity.orders.map { root to it } + sources.links.flatMap { (link, _) -> link.entity.orders.map { sources.of(link.entity) to it } }
        return owned.map { (owner, order) ->
            val attribute = order.attribute ?: throw ApiErrors.badRequest("An <order> by alias ('${order.alias}') is only supported in aggregate queries.")
            val source = order.entityName?.let(sources::byAlias) ?: owner
            val column = sources.column(source, attribute)
            val name = if (source.index == 0) attribute else "${source.alias}.$attribute"
            name to orderKey(column, order.descending)
        }
    }

    private fun orderKey(column: SourceColumn, descending: Boolean): OrderKey {
        val definition = column.column
        return when {
            definition.type.isChoice && !document.rawOrderBy ->
                OrderKey(ValueKind.STRING, descending) { row -> (column.stored(row) as Int?)?.let { definition.option(it)?.label } }
            definition.type.isLookup -> OrderKey(ValueKind.STRING, descending) { row -> primaryName(column.stored(row) as LookupValue?) }
            else -> OrderKey(column.kind, descending, column::read)
        }
    }

    private fun primaryName(lookup: LookupValue?): String? {
        val target = lookup?.let { catalog.table(it.table) } ?: return null
        return store.table(target).get(lookup.id)?.get(target.primaryNameAttribute) as String?
    }

    companion object {
        /** The largest page (`count`) and `top` the service accepts. */
        const val MAX_PAGE_SIZE: Int = 5000
    }
}
