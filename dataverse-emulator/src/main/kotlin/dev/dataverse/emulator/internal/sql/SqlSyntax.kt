package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.odata.ComparisonOperator
import java.math.BigDecimal

/** A parsed `SELECT` statement of the SQL subset, not yet checked against the catalog. */
internal data class SqlSelect(
    val distinct: Boolean,
    val items: List<SqlSelectItem>,
    val from: SqlTableReference,
    val join: SqlJoin?,
    val where: SqlCondition?,
    val groupBy: List<SqlColumnReference>,
    val orderBy: List<SqlOrderItem>,
)

/** A column as written: `name`, `a.name` or `account.name`. */
internal data class SqlColumnReference(val qualifier: String?, val name: String, val position: Int) {
    override fun toString(): String = if (qualifier == null) name else "$qualifier.$name"
}

/** A table in `FROM` or `JOIN`, with its optional alias. */
internal data class SqlTableReference(val name: String, val alias: String?, val position: Int)

/** `[INNER] JOIN table ON a.x = b.y` or `LEFT [OUTER] JOIN ...`. */
internal data class SqlJoin(val table: SqlTableReference, val outer: Boolean, val left: SqlColumnReference, val right: SqlColumnReference)

/** An item of the select list. */
internal sealed interface SqlSelectItem {
    /** A column, optionally `AS alias`. */
    data class Column(val column: SqlColumnReference, val alias: String?) : SqlSelectItem

    /** `COUNT(*)` ([column] null) or `COUNT([DISTINCT] column)`, optionally `AS alias`. */
    data class Count(val column: SqlColumnReference?, val distinct: Boolean, val alias: String?) : SqlSelectItem
}

/** An `ORDER BY` item: a column, or the alias of a select item. */
internal data class SqlOrderItem(val column: SqlColumnReference, val descending: Boolean)

/** A literal value. */
internal sealed interface SqlLiteral {
    /** `'text'` or `N'text'`. */
    data class Text(val value: String) : SqlLiteral

    /** A number, possibly negative. */
    data class Number(val value: BigDecimal) : SqlLiteral
}

/** A `WHERE` condition. */
internal sealed interface SqlCondition {
    data class And(val left: SqlCondition, val right: SqlCondition) : SqlCondition
    data class Or(val left: SqlCondition, val right: SqlCondition) : SqlCondition
    data class Not(val operand: SqlCondition) : SqlCondition
    data class Compare(val column: SqlColumnReference, val operator: ComparisonOperator, val value: SqlLiteral) : SqlCondition
    data class Like(val column: SqlColumnReference, val pattern: String, val negated: Boolean) : SqlCondition
    data class IsNull(val column: SqlColumnReference, val negated: Boolean) : SqlCondition
    data class In(val column: SqlColumnReference, val values: List<SqlLiteral>, val negated: Boolean) : SqlCondition
    data class Between(val column: SqlColumnReference, val low: SqlLiteral, val high: SqlLiteral, val negated: Boolean) : SqlCondition
}
