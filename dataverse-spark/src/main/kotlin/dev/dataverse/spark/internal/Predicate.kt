package dev.dataverse.spark.internal

import dev.dataverse.Filter
import java.io.Serializable
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.util.UUID

/**
 * A row condition the connector sends to the service, in two dialects: an OData `$filter` ([toFilter], through the
 * client's typed [Filter], which escapes every value) for listings, and a FetchXML `<filter>` ([toFetchXml]) for
 * aggregate queries, which the Web API answers only in FetchXML. Serializable, so that partitions carry it. Pure.
 *
 * FetchXML cannot say everything OData can: a negation, an expression from the user's `filter` option (OData text the
 * connector does not parse) and the text functions (whose wildcard escaping FetchXML's documentation does not give) have
 * no FetchXML form, and an aggregate is then computed by Spark instead.
 */
internal sealed class Predicate : Serializable {
    /** The condition as an OData `$filter`. */
    abstract fun toFilter(): Filter

    /** The condition as one FetchXML `<condition>` or `<filter>` element; `null` when FetchXML cannot say the same. */
    abstract fun toFetchXml(): String?

    enum class Op(val odata: String) { EQ("eq"), GT("gt"), GE("ge"), LT("lt"), LE("le") }

    /** `column <op> value`; [value] is a Long, BigDecimal, Double, Boolean, Instant, LocalDate, UUID or String. */
    data class Compare(val column: String, val op: Op, val value: Any) : Predicate() {
        override fun toFilter(): Filter = when (op) {
            Op.EQ -> Filter.eq(column, value)
            Op.GT -> Filter.gt(column, value)
            Op.GE -> Filter.ge(column, value)
            Op.LT -> Filter.lt(column, value)
            Op.LE -> Filter.le(column, value)
        }

        override fun toFetchXml(): String? = condition(column, op.odata, value)
    }

    data class IsNull(val column: String) : Predicate() {
        override fun toFilter(): Filter = Filter.isNull(column)
        override fun toFetchXml(): String = """<condition attribute="${xml(column)}" operator="null"/>"""
    }

    data class IsNotNull(val column: String) : Predicate() {
        override fun toFilter(): Filter = Filter.isNotNull(column)
        override fun toFetchXml(): String = """<condition attribute="${xml(column)}" operator="not-null"/>"""
    }

    /** The column equals one of [values] (at least one). */
    data class In(val column: String, val values: List<Any>) : Predicate() {
        override fun toFilter(): Filter = Filter.isIn(column, values)
        override fun toFetchXml(): String? {
            val literals = values.map { literal(it).takeIf(::xmlSafe) ?: return null }
            return """<condition attribute="${xml(column)}" operator="in">""" + literals.joinToString("") { "<value>${xml(it)}</value>" } + "</condition>"
        }
    }

    enum class TextFunction(val odata: String) { STARTS_WITH("startswith"), ENDS_WITH("endswith"), CONTAINS("contains") }

    data class Text(val function: TextFunction, val column: String, val text: String) : Predicate() {
        override fun toFilter(): Filter = when (function) {
            TextFunction.STARTS_WITH -> Filter.startsWith(column, text)
            TextFunction.ENDS_WITH -> Filter.endsWith(column, text)
            TextFunction.CONTAINS -> Filter.contains(column, text)
        }

        override fun toFetchXml(): String? = null
    }

    data class All(val parts: List<Predicate>) : Predicate() {
        override fun toFilter(): Filter = Filter.all(*parts.map { it.toFilter() }.toTypedArray())
        override fun toFetchXml(): String? = group("and", parts)
    }

    data class AnyOf(val parts: List<Predicate>) : Predicate() {
        override fun toFilter(): Filter = Filter.any(*parts.map { it.toFilter() }.toTypedArray())
        override fun toFetchXml(): String? = group("or", parts)
    }

    data class Not(val operand: Predicate) : Predicate() {
        override fun toFilter(): Filter = !operand.toFilter()
        override fun toFetchXml(): String? = null
    }

    /** The user's `filter` option, OData text sent as written. */
    data class Raw(val expression: String) : Predicate() {
        override fun toFilter(): Filter = Filter.raw(expression)
        override fun toFetchXml(): String? = null
    }

    companion object {
        /** All of [parts], or `null` when there are none. */
        fun all(parts: List<Predicate>): Predicate? = when (parts.size) {
            0 -> null
            1 -> parts.single()
            else -> All(parts)
        }

        private fun group(type: String, parts: List<Predicate>): String? {
            val rendered = parts.map { it.toFetchXml() ?: return null }
            return """<filter type="$type">${rendered.joinToString("")}</filter>"""
        }

        private fun condition(column: String, operator: String, value: Any): String? =
            literal(value).takeIf(::xmlSafe)?.let { """<condition attribute="${xml(column)}" operator="$operator" value="${xml(it)}"/>""" }

        /** XML 1.0 has no form for control characters other than tab, line feed and carriage return. */
        private fun xmlSafe(text: String): Boolean = text.none { it.code < 0x20 && it != '\t' && it != '\n' && it != '\r' }

        /**
         * A value as FetchXML writes it (Learn, "Filter rows using FetchXml"): numbers in invariant form, two-option
         * values as 1 and 0, date-times in ISO 8601 UTC, dates as `yyyy-MM-dd`, GUIDs and text as they are.
         */
        fun literal(value: Any): String = when (value) {
            is BigDecimal -> value.toPlainString()
            is Double -> BigDecimal(value.toString()).toPlainString()
            is Boolean -> if (value) "1" else "0"
            is Instant -> DateTimeFormatter.ISO_INSTANT.format(value)
            is LocalDate -> value.toString()
            is UUID -> value.toString()
            else -> value.toString()
        }

        /** [text] escaped for an XML attribute value or element. */
        fun xml(text: String): String = buildString(text.length) {
            for (c in text) {
                when (c) {
                    '&' -> append("&amp;")
                    '<' -> append("&lt;")
                    '>' -> append("&gt;")
                    '"' -> append("&quot;")
                    '\'' -> append("&apos;")
                    '\t', '\n', '\r' -> append("&#x").append(Integer.toHexString(c.code)).append(';')
                    else -> append(c)
                }
            }
        }
    }
}
