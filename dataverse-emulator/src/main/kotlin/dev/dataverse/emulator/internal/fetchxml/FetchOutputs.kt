package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.query.AggregateColumn
import dev.dataverse.emulator.internal.query.AggregateFunction
import dev.dataverse.emulator.internal.query.Aggregation
import dev.dataverse.emulator.internal.query.DateGrouping
import dev.dataverse.emulator.internal.query.GroupColumn
import dev.dataverse.emulator.internal.query.GroupOrder
import dev.dataverse.emulator.internal.query.OutputColumn
import dev.dataverse.emulator.internal.query.QuerySource
import dev.dataverse.emulator.internal.query.SourceColumn

/**
 * What a FetchXML query returns. Plain queries: the entity's attributes under their property names (all of them
 * without `<attribute>` elements or with `<all-attributes/>`), link-entity attributes as `alias.name`, an attribute
 * alias replacing either, and the primary id unless the query is `distinct`. Aggregate queries: one value per aliased
 * `groupby` or `aggregate` attribute.
 */
internal class FetchOutputs(private val sources: FetchSources, private val entity: FetchEntity, private val document: FetchDocument) {
    private val entities: List<FetchEntity> = listOf(entity) + sources.links.map { it.first.entity }

    /** The columns of a plain query. */
    fun columns(): List<OutputColumn> {
        val columns = mutableListOf<OutputColumn>()
        for (each in entities) {
            val source = sources.of(each)
            each.attributes.firstOrNull { it.aggregate != null || it.groupBy || it.dateGrouping != null }?.let {
                throw ApiErrors.badRequest("The attribute '${it.name}' uses aggregate, groupby or dategrouping, which need aggregate=\"true\" on <fetch>.")
            }
            val all = each.allAttributes || (source.index == 0 && each.attributes.isEmpty())
            val selected = if (all) {
                source.table.columns.map { OutputColumn(defaultName(source, it.propertyName, it.logicalName), SourceColumn(source, it)) }
            } else {
                each.attributes.map { attribute ->
                    val column = sources.column(source, attribute.name)
                    OutputColumn(attribute.alias ?: defaultName(source, column.column.propertyName, attribute.name), column)
                }
            }
            columns += selected.filter { candidate -> columns.none { it.name == candidate.name && it.column.column == candidate.column.column } }
        }
        val root = sources.of(entity)
        if (!document.distinct && columns.none { it.column.source.index == 0 && it.column.column == root.table.primaryIdColumn }) {
            columns += OutputColumn(root.table.primaryIdAttribute, SourceColumn(root, root.table.primaryIdColumn))
        }
        checkUnique(columns.map { it.name })
        return columns
    }

    /** The groups and aggregates of an aggregate query, ordered by aliases. */
    fun aggregation(): Aggregation {
        val groups = mutableListOf<GroupColumn>()
        val aggregates = mutableListOf<AggregateColumn>()
        for (each in entities) {
            if (each.allAttributes) throw ApiErrors.badRequest("<all-attributes/> cannot be used in an aggregate query.")
            val source = sources.of(each)
            for (attribute in each.attributes) {
                val alias = attribute.alias ?: throw ApiErrors.badRequest("The attribute '${attribute.name}' of an aggregate query needs an alias.")
                val column = sources.column(source, attribute.name)
                when {
                    attribute.groupBy && attribute.aggregate != null ->
                        throw ApiErrors.badRequest("The attribute '${attribute.name}' cannot be both groupby and aggregate.")
                    attribute.groupBy -> groups += GroupColumn(alias, column, dateGrouping(attribute, column))
                    attribute.aggregate != null -> aggregates += aggregate(alias, attribute, column)
                    else -> throw ApiErrors.badRequest("The attribute '${attribute.name}' of an aggregate query needs aggregate=\"...\" or groupby=\"true\".")
                }
            }
        }
        if (groups.isEmpty() && aggregates.isEmpty()) throw ApiErrors.badRequest("An aggregate query needs at least one aggregate or groupby attribute.")
        val names = groups.map { it.name } + aggregates.map { it.name }
        checkUnique(names)
        val orders = entities.flatMap { it.orders }.map { order ->
            val alias = order.alias ?: throw ApiErrors.badRequest("In an aggregate query, order by the alias of an attribute (<order alias=\"...\"/>).")
            if (alias !in names) throw ApiErrors.badRequest("The order alias '$alias' is not the alias of an attribute of the query.")
            GroupOrder(alias, order.descending)
        }
        return Aggregation(groups, aggregates, orders)
    }

    private fun aggregate(alias: String, attribute: FetchAttribute, column: SourceColumn): AggregateColumn {
        val function = AggregateFunction.ofFetchName(attribute.aggregate!!) ?: throw ApiErrors.badRequest(
            "The aggregate '${attribute.aggregate}' is not supported; use ${AggregateFunction.entries.joinToString { it.fetchName }}.",
        )
        val type = column.column.type
        val allowed = when (function) {
            AggregateFunction.COUNT, AggregateFunction.COUNT_COLUMN -> true
            AggregateFunction.SUM, AggregateFunction.AVG -> type in NUMBERS
            AggregateFunction.MIN, AggregateFunction.MAX -> type in NUMBERS || type == ColumnType.DATE_TIME || type == ColumnType.DATE_ONLY
        }
        if (!allowed) throw ApiErrors.badRequest("The aggregate '${function.fetchName}' cannot be applied to '$column' of type ${type.attributeType}.")
        if (attribute.distinct && function != AggregateFunction.COUNT_COLUMN) {
            throw ApiErrors.badRequest("distinct=\"true\" on an aggregate attribute is only supported with countcolumn.")
        }
        return AggregateColumn(alias, function, column.takeIf { function != AggregateFunction.COUNT }, attribute.distinct)
    }

    private fun dateGrouping(attribute: FetchAttribute, column: SourceColumn): DateGrouping? {
        val name = attribute.dateGrouping ?: return null
        val grouping = DateGrouping.ofFetchName(name) ?: throw ApiErrors.badRequest(
            "The dategrouping '$name' is not supported by the emulator; use ${DateGrouping.entries.joinToString { it.fetchName }}.",
        )
        val type = column.column.type
        if (type != ColumnType.DATE_TIME && type != ColumnType.DATE_ONLY) throw ApiErrors.badRequest("dategrouping needs a date column, but '$column' is ${type.attributeType}.")
        return grouping
    }

    private fun defaultName(source: QuerySource, propertyName: String, logicalName: String): String =
        if (source.index == 0) propertyName else "${source.alias}.$logicalName"

    private fun checkUnique(names: List<String>) {
        names.groupBy { it }.entries.firstOrNull { it.value.size > 1 }?.let {
            throw ApiErrors.badRequest("The FetchXML returns more than one column named '${it.key}'; give the attributes distinct aliases.")
        }
    }

    private companion object {
        val NUMBERS = setOf(ColumnType.INTEGER, ColumnType.BIG_INT, ColumnType.MONEY, ColumnType.DECIMAL, ColumnType.DOUBLE)
    }
}
