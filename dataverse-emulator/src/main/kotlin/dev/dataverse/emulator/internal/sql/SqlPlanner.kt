package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.ThreeValued
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.query.AggregateColumn
import dev.dataverse.emulator.internal.query.AggregateFunction
import dev.dataverse.emulator.internal.query.Aggregation
import dev.dataverse.emulator.internal.query.GroupColumn
import dev.dataverse.emulator.internal.query.GroupOrder
import dev.dataverse.emulator.internal.query.Join
import dev.dataverse.emulator.internal.query.LikePattern
import dev.dataverse.emulator.internal.query.OrderKey
import dev.dataverse.emulator.internal.query.OutputColumn
import dev.dataverse.emulator.internal.query.QueryPlan
import dev.dataverse.emulator.internal.query.QuerySource
import dev.dataverse.emulator.internal.query.RowTest
import dev.dataverse.emulator.internal.query.SourceColumn

/** What a SQL query returns: rows projected onto [columns] (deduplicated when [distinct]), or the groups of [aggregation]. */
internal class SqlPlan(
    val query: QueryPlan,
    val columns: List<OutputColumn>,
    val aggregation: Aggregation?,
    val distinct: Boolean,
)

/**
 * Binds a [SqlSelect] to the catalog for a request on [table]'s entity set: `FROM` must name that table, the join
 * condition must compare a column of each table, and every column must exist. Results name the `FROM` table's columns
 * by their property names (`name`, `_primarycontactid_value`), the joined table's as `alias.name`, and `AS` renames
 * either; `COUNT(*)` without an alias is `count`. Plain rows are ordered by `ORDER BY`, then by record ids.
 */
internal class SqlPlanner(private val catalog: MetadataCatalog, private val table: TableDefinition, private val select: SqlSelect) {
    private lateinit var columns: SqlColumns

    /** The plan; anything that does not fit the catalog or the subset is a 400. */
    fun plan(): SqlPlan {
        val fromTable = catalog.table(select.from.name)
        if (fromTable?.logicalName != table.logicalName) {
            throw ApiErrors.badRequest("The table '${select.from.name}' in FROM does not match the entity set '${table.entitySetName}' of table '${table.logicalName}'.")
        }
        val root = QuerySource(0, table, select.from.alias ?: table.logicalName)
        val joined = select.join?.let { join ->
            val joinTable = catalog.table(join.table.name) ?: throw ApiErrors.badRequest("The table '${join.table.name}' in JOIN is not a table known to the emulator.")
            QuerySource(1, joinTable, join.table.alias ?: joinTable.logicalName).also {
                if (it.alias.equals(root.alias, ignoreCase = true)) throw ApiErrors.badRequest("Both tables of the JOIN are named '${it.alias}'; give them different aliases.")
            }
        }
        val sources = listOfNotNull(root, joined)
        columns = SqlColumns(sources)
        val joins = listOfNotNull(select.join?.let { join(it, joined!!) })
        val where = select.where?.let(::condition)
        val aggregated = select.items.any { it is SqlSelectItem.Count }
        if (!aggregated && select.groupBy.isNotEmpty()) throw unsupported("GROUP BY is only supported together with COUNT.")
        return if (aggregated) {
            SqlPlan(QueryPlan(sources, joins, where, emptyList()), emptyList(), aggregation(), distinct = false)
        } else {
            val outputs = outputs(sources)
            SqlPlan(QueryPlan(sources, joins, where, orderKeys(outputs)), outputs, null, select.distinct)
        }
    }

    private fun join(join: SqlJoin, joined: QuerySource): Join {
        val left = columns.resolve(join.left)
        val right = columns.resolve(join.right)
        val (parent, child) = when {
            left.source.index == 0 && right.source.index == 1 -> left to right
            left.source.index == 1 && right.source.index == 0 -> right to left
            else -> throw ApiErrors.badRequest("The JOIN condition must compare a column of '${select.from.name}' with a column of '${joined.alias}'.")
        }
        return Join(joined, parent, child.column, join.outer, condition = null)
    }

    private fun condition(condition: SqlCondition): RowTest = when (condition) {
        is SqlCondition.And -> ThreeValued.all(listOf(condition(condition.left), condition(condition.right)))
        is SqlCondition.Or -> ThreeValued.any(listOf(condition(condition.left), condition(condition.right)))
        is SqlCondition.Not -> ThreeValued.not(condition(condition.operand))
        is SqlCondition.Compare -> columns.resolve(condition.column).let { ThreeValued.compare(it::read, condition.operator, columns.value(it, condition.value)) }
        is SqlCondition.IsNull -> ThreeValued.isNull(columns.resolve(condition.column)::read, condition.negated)
        is SqlCondition.In -> columns.resolve(condition.column).let { column ->
            ThreeValued.oneOf(column::read, condition.values.map { columns.value(column, it) }, condition.negated)
        }
        is SqlCondition.Between -> columns.resolve(condition.column).let { column ->
            ThreeValued.between(column::read, columns.value(column, condition.low), columns.value(column, condition.high), condition.negated)
        }
        is SqlCondition.Like -> {
            val column = columns.resolve(condition.column)
            if (column.kind != ValueKind.STRING) throw ApiErrors.badRequest("LIKE needs a text column, but '$column' is of type ${column.kind.edmType}.")
            val pattern = LikePattern.compile(condition.pattern)
            ThreeValued.text(column::read, condition.negated) { pattern.matches(it) }
        }
    }

    private fun outputs(sources: List<QuerySource>): List<OutputColumn> {
        val outputs = select.items.flatMap { item ->
            when (item) {
                // Learn: webapi/query/sql: an aliased column carries the column it reads as an AttributeName annotation.
                is SqlSelectItem.Column -> listOf(
                    columns.resolve(item.column).let { OutputColumn(item.alias ?: defaultName(it), it, attributeName = item.alias?.let { _ -> it.column.logicalName }) },
                )
                is SqlSelectItem.Count -> emptyList()
            }
        }
        checkUnique(outputs.map { it.name })
        return outputs
    }

    private fun orderKeys(outputs: List<OutputColumn>): List<OrderKey> = select.orderBy.map { item ->
        val aliased = if (item.column.qualifier == null) outputs.firstOrNull { it.name.equals(item.column.name, ignoreCase = true) }?.column else null
        val resolved = aliased ?: columns.resolve(item.column)
        OrderKey(resolved.kind, item.descending, resolved::read)
    }

    private fun aggregation(): Aggregation {
        if (select.distinct) throw unsupported("SELECT DISTINCT with COUNT is not supported.")
        val groups = mutableListOf<GroupColumn>()
        val aggregates = mutableListOf<AggregateColumn>()
        for (item in select.items) {
            when (item) {
                is SqlSelectItem.Column -> columns.resolve(item.column).let { groups += GroupColumn(item.alias ?: defaultName(it), it, dateGrouping = null) }
                is SqlSelectItem.Count -> {
                    val column = item.column?.let(columns::resolve)
                    val function = if (column == null) AggregateFunction.COUNT else AggregateFunction.COUNT_COLUMN
                    aggregates += AggregateColumn(item.alias ?: COUNT_NAME, function, column, item.distinct)
                }
            }
        }
        val grouped = select.groupBy.map { columns.resolve(it).toString() }.toSet()
        if (grouped != groups.map { it.column.toString() }.toSet()) {
            throw unsupported("With COUNT, GROUP BY must list exactly the other selected columns.")
        }
        val names = groups.map { it.name } + aggregates.map { it.name }
        checkUnique(names)
        val orders = select.orderBy.map { item ->
            val byName = if (item.column.qualifier == null) names.firstOrNull { it.equals(item.column.name, ignoreCase = true) } else null
            GroupOrder(byName ?: groupName(item.column, groups), item.descending)
        }
        return Aggregation(groups, aggregates, orders)
    }

    private fun groupName(reference: SqlColumnReference, groups: List<GroupColumn>): String {
        val column = columns.resolve(reference).toString()
        return groups.firstOrNull { it.column.toString() == column }?.name
            ?: throw unsupported("ORDER BY of a query with COUNT must name a selected column or alias ('$reference' is not one).")
    }

    private fun defaultName(column: SourceColumn): String =
        if (column.source.index == 0) column.column.propertyName else "${column.source.alias}.${column.column.logicalName}"

    private fun checkUnique(names: List<String>) {
        names.groupBy { it.lowercase() }.entries.firstOrNull { it.value.size > 1 }?.let {
            throw ApiErrors.badRequest("The SQL query returns more than one column named '${it.value.first()}'; give them different aliases with AS.")
        }
    }

    private fun unsupported(message: String) = ApiErrors.badRequest("The SQL query is not supported by the emulator: $message")

    private companion object {
        const val COUNT_NAME = "count"
    }
}
