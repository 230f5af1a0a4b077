package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import dev.dataverse.Filter
import org.apache.spark.sql.sources.And
import org.apache.spark.sql.sources.EqualTo
import org.apache.spark.sql.sources.GreaterThan
import org.apache.spark.sql.sources.GreaterThanOrEqual
import org.apache.spark.sql.sources.In
import org.apache.spark.sql.sources.IsNotNull
import org.apache.spark.sql.sources.IsNull
import org.apache.spark.sql.sources.LessThan
import org.apache.spark.sql.sources.LessThanOrEqual
import org.apache.spark.sql.sources.Not
import org.apache.spark.sql.sources.Or
import org.apache.spark.sql.sources.StringContains
import org.apache.spark.sql.sources.StringEndsWith
import org.apache.spark.sql.sources.StringStartsWith
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID
import org.apache.spark.sql.sources.Filter as SparkFilter

/**
 * Translates Spark's filters to [Predicate]s, which become the client's typed [Filter] (values escaped by the library)
 * or FetchXML conditions. Pure.
 *
 * A translated filter is either [Translated.exact] — the service selects exactly the rows Spark would — or a superset
 * that Spark must evaluate again. Text is the superset case: Dataverse compares text case- and accent-insensitively
 * (SQL Server collation), so `name = 'abc'` also returns `ABC`; text ranges (`>`, `<`) and negations are not pushed at
 * all, since collation order and binary order disagree and the service could drop rows Spark wants. GUIDs (ids,
 * lookups) are compared for equality only: their order on the service is SQL Server's, not the text's.
 */
internal object FilterTranslation {
    /** A pushed filter, and whether Spark must still evaluate the original. */
    data class Translated(val predicate: Predicate, val exact: Boolean) {
        /** The OData form. */
        val filter: Filter get() = predicate.toFilter()
    }

    /** The translation of [filter] against the columns of [bindings] (by Spark field name), or `null` when not pushable. */
    fun translate(filter: SparkFilter, bindings: Map<String, ColumnBinding>): Translated? = when (filter) {
        is And -> both(filter.left(), filter.right(), bindings) { a, b -> Predicate.All(flatten<Predicate.All>(a) + flatten<Predicate.All>(b)) }
        is Or -> both(filter.left(), filter.right(), bindings) { a, b -> Predicate.AnyOf(flatten<Predicate.AnyOf>(a) + flatten<Predicate.AnyOf>(b)) }
        is Not -> translate(filter.child(), bindings)?.takeIf { it.exact }?.let { Translated(Predicate.Not(it.predicate), true) }
        is IsNull -> column(filter.attribute(), bindings)?.let { Translated(Predicate.IsNull(it.wireName), true) }
        is IsNotNull -> column(filter.attribute(), bindings)?.let { Translated(Predicate.IsNotNull(it.wireName), true) }
        is EqualTo -> comparison(filter.attribute(), filter.value(), bindings, Predicate.Op.EQ)
        is GreaterThan -> comparison(filter.attribute(), filter.value(), bindings, Predicate.Op.GT)
        is GreaterThanOrEqual -> comparison(filter.attribute(), filter.value(), bindings, Predicate.Op.GE)
        is LessThan -> comparison(filter.attribute(), filter.value(), bindings, Predicate.Op.LT)
        is LessThanOrEqual -> comparison(filter.attribute(), filter.value(), bindings, Predicate.Op.LE)
        is In -> inList(filter, bindings)
        is StringStartsWith -> text(filter.attribute(), bindings) { Predicate.Text(Predicate.TextFunction.STARTS_WITH, it, filter.value()) }
        is StringEndsWith -> text(filter.attribute(), bindings) { Predicate.Text(Predicate.TextFunction.ENDS_WITH, it, filter.value()) }
        is StringContains -> text(filter.attribute(), bindings) { Predicate.Text(Predicate.TextFunction.CONTAINS, it, filter.value()) }
        else -> null
    }

    /** The parts of [predicate] when it is already a group of kind [G], so that `a and b and c` stays one flat group. */
    private inline fun <reified G : Predicate> flatten(predicate: Predicate): List<Predicate> = when {
        predicate !is G -> listOf(predicate)
        predicate is Predicate.All -> predicate.parts
        predicate is Predicate.AnyOf -> predicate.parts
        else -> listOf(predicate)
    }

    private inline fun both(
        left: SparkFilter,
        right: SparkFilter,
        bindings: Map<String, ColumnBinding>,
        join: (Predicate, Predicate) -> Predicate,
    ): Translated? {
        val a = translate(left, bindings) ?: return null
        val b = translate(right, bindings) ?: return null
        return Translated(join(a.predicate, b.predicate), a.exact && b.exact)
    }

    /** Only columns holding the attribute's own value (or a lookup's id) can be filtered on by the service. */
    private fun column(name: String, bindings: Map<String, ColumnBinding>): ColumnBinding? =
        bindings[name]?.takeIf { it.kind == BindingKind.VALUE || it.kind == BindingKind.LOOKUP_ID }
            ?.takeIf { it.type != ColumnType.MULTI_CHOICE }

    private fun comparison(name: String, value: Any?, bindings: Map<String, ColumnBinding>, op: Predicate.Op): Translated? {
        val column = column(name, bindings) ?: return null
        if (value == null) return null // Spark's `= null` selects nothing; let Spark say so.
        val literal = literal(column, value) ?: return null
        val compare = Predicate.Compare(column.wireName, op, literal)
        return when (kind(column)) {
            Kind.TEXT, Kind.GUID -> if (op == Predicate.Op.EQ) Translated(compare, false) else null
            Kind.EXACT -> Translated(compare, true)
        }
    }

    private fun inList(filter: In, bindings: Map<String, ColumnBinding>): Translated? {
        val column = column(filter.attribute(), bindings) ?: return null
        val values = filter.values().filterNotNull().map { literal(column, it) ?: return null }.distinct()
        // Each value adds `or <column> eq <value>` to the URL: a list too long for one request stays with Spark.
        if (values.isEmpty() || values.sumOf { column.wireName.length + Predicate.literal(it).length + IN_OVERHEAD } > MAX_IN_LENGTH) return null
        return Translated(Predicate.In(column.wireName, values), kind(column) == Kind.EXACT)
    }

    private inline fun text(name: String, bindings: Map<String, ColumnBinding>, build: (String) -> Predicate): Translated? {
        val column = column(name, bindings)?.takeIf { kind(it) == Kind.TEXT } ?: return null
        return Translated(build(column.wireName), false)
    }

    private enum class Kind { TEXT, GUID, EXACT }

    private fun kind(column: ColumnBinding): Kind = when {
        column.kind == BindingKind.LOOKUP_ID || column.type == ColumnType.UNIQUE_IDENTIFIER -> Kind.GUID
        column.type == ColumnType.STRING || column.type == ColumnType.MEMO -> Kind.TEXT
        else -> Kind.EXACT
    }

    /** The literal for [value] compared with [column], of the type its OData form needs; `null` when it does not fit. */
    private fun literal(column: ColumnBinding, value: Any): Any? = when (kind(column)) {
        Kind.GUID -> (value as? String)?.let { runCatching { UUID.fromString(it) }.getOrNull() }
        Kind.TEXT -> value as? String
        Kind.EXACT -> when (column.type) {
            ColumnType.DATE_TIME -> when (value) {
                is java.sql.Timestamp -> value.toInstant()
                is Instant -> value
                else -> null
            }
            ColumnType.DATE_ONLY -> when (value) {
                is java.sql.Date -> value.toLocalDate()
                is LocalDate -> value
                else -> null
            }
            ColumnType.BOOLEAN -> value as? Boolean
            else -> when (value) {
                is Int, is Long, is Short, is Byte -> (value as Number).toLong()
                is BigDecimal -> value
                is Double -> value.takeIf { it.isFinite() }
                is Float -> value.toDouble().takeIf { it.isFinite() }
                else -> null
            }
        }
    }

    /** Characters an `IN` list may add to a `$filter`: well below the 32 KB of a GET URL, other filters and paging included. */
    private const val MAX_IN_LENGTH = 16_000
    private const val IN_OVERHEAD = 12
}
