package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.records.ColumnValues
import dev.dataverse.emulator.internal.store.LookupValue
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal
import java.math.RoundingMode
import java.time.DayOfWeek
import java.time.Instant
import java.time.ZoneOffset
import java.time.temporal.ChronoUnit
import java.time.temporal.TemporalAdjusters

/**
 * One facet of the `facets` parameter (Learn: "Dataverse Search query", facets parameter): `field[,name:value]*` with
 * `count` (default 10) and `sort`, or `values` (ranges between ascending boundaries), or `interval` (with `timeoffset`).
 */
internal class SearchFacet private constructor(
    val key: String,
    private val table: String?,
    private val field: String,
    private val count: Int,
    private val sort: String,
    private val values: List<Comparable<*>>?,
    private val rawValues: List<String>,
    private val interval: String?,
    private val offset: ZoneOffset,
) {
    /** The facet's buckets over [documents]; [lookupName] names the record a lookup value points at. */
    fun compute(documents: List<SearchDocument>, lookupName: (LookupValue) -> String?): JsonArray {
        val values = documents.mapNotNull { value(it) }
        return when {
            this.values != null -> ranges(values)
            interval != null -> intervals(values)
            else -> counts(values, lookupName)
        }
    }

    private fun value(document: SearchDocument): Any? = when {
        table != null && document.table.logicalName != table -> null
        field == ENTITY_NAME -> document.table.logicalName
        else -> document.record[field]
    }

    private fun counts(values: List<Any>, lookupName: (LookupValue) -> String?): JsonArray {
        val groups = values.groupingBy { ColumnValues.normalize(it) ?: "" }.eachCount()
        val samples = values.associateBy { ColumnValues.normalize(it) ?: "" }
        val byValue = compareBy<Map.Entry<Any, Int>, Comparable<*>?>(SearchValues.ORDER) { SearchValues.comparable(samples[it.key]) }
        val ordered = when (sort) {
            "-count" -> groups.entries.sortedWith(compareBy<Map.Entry<Any, Int>> { it.value }.then(byValue))
            "value" -> groups.entries.sortedWith(byValue)
            "-value" -> groups.entries.sortedWith(byValue.reversed())
            else -> groups.entries.sortedWith(compareByDescending<Map.Entry<Any, Int>> { it.value }.then(byValue))
        }
        return JsonArray(
            ordered.take(count).map { (key, number) ->
                val sample = samples[key]
                bucket(
                    "value", number, "value" to ColumnValues.toJson(sample),
                    "optionalvalue" to ((sample as? LookupValue)?.let(lookupName)?.let(::JsonPrimitive) ?: JsonNull),
                )
            },
        )
    }

    private fun ranges(values: List<Any>): JsonArray {
        val bounds = this.values!!
        val keys = values.mapNotNull { SearchValues.comparable(it) }.filter { it !is String }
        fun inBucket(value: Comparable<*>, from: Comparable<*>?, to: Comparable<*>?) =
            (from == null || SearchValues.ORDER.compare(value, from) >= 0) && (to == null || SearchValues.ORDER.compare(value, to) < 0)
        return JsonArray(
            (0..bounds.size).map { i ->
                val from = bounds.getOrNull(i - 1)
                val to = bounds.getOrNull(i)
                bucket(
                    "range", keys.count { inBucket(it, from, to) },
                    "from" to (rawValues.getOrNull(i - 1)?.let(::boundaryJson) ?: JsonNull),
                    "to" to (rawValues.getOrNull(i)?.let(::boundaryJson) ?: JsonNull),
                )
            },
        )
    }

    private fun intervals(values: List<Any>): JsonArray {
        val keys = values.mapNotNull { SearchValues.comparable(it) }.mapNotNull { value ->
            when (value) {
                is BigDecimal -> interval!!.toBigDecimalOrNull()?.let { step -> value.divide(step, 0, RoundingMode.FLOOR).multiply(step) }
                is Instant -> truncate(value)
                else -> null
            }
        }
        val groups = keys.groupingBy { it }.eachCount().entries.sortedWith(compareBy(SearchValues.ORDER) { it.key })
        return JsonArray(
            groups.map { (start, number) ->
                bucket("value", number, "value" to (if (start is Instant) JsonPrimitive(ColumnValues.formatInstant(start)) else JsonPrimitive(start as BigDecimal)))
            },
        )
    }

    private fun truncate(value: Instant): Instant? {
        val local = value.atOffset(offset)
        val start = when (interval!!.lowercase()) {
            "minute" -> local.truncatedTo(ChronoUnit.MINUTES)
            "hour" -> local.truncatedTo(ChronoUnit.HOURS)
            "day" -> local.truncatedTo(ChronoUnit.DAYS)
            "week" -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            "month" -> local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1)
            "quarter" -> local.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).withMonth((local.monthValue - 1) / 3 * 3 + 1)
            "year" -> local.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1)
            else -> return null
        }
        return start.toInstant()
    }

    private fun boundaryJson(text: String): JsonElement = text.toBigDecimalOrNull()?.let(::JsonPrimitive) ?: JsonPrimitive(text)

    private fun bucket(type: String, count: Int, vararg fields: Pair<String, JsonElement>): JsonObject =
        JsonObject(linkedMapOf<String, JsonElement>("type" to JsonPrimitive(type), "count" to JsonPrimitive(count)) + fields)

    companion object {
        const val ENTITY_NAME: String = "entityname"
        private const val DEFAULT_COUNT = 10

        /** The facet [spec] describes; [columnExists] says whether a (table, column) can be faceted on. */
        fun parse(spec: String, columnExists: (table: String?, column: String) -> Boolean): SearchFacet {
            val parts = spec.split(',').map { it.trim() }
            val head = parts[0].lowercase()
            val table = head.substringBefore(':', "").takeIf { it.isNotEmpty() }
            val field = head.substringAfter(':')
            if (field.isEmpty() || (field != ENTITY_NAME && !columnExists(table, field))) {
                throw SearchParameters.invalid("Invalid facet '$spec': '$head' is not a column of the tables searched.")
            }
            val params = parts.drop(1).associate { part ->
                val name = part.substringBefore(':', "").trim().lowercase()
                if (name.isEmpty()) throw SearchParameters.invalid("Invalid facet '$spec': expected name:value parameters.")
                name to part.substringAfter(':').trim()
            }
            val unknown = params.keys - setOf("count", "sort", "values", "interval", "timeoffset")
            if (unknown.isNotEmpty()) throw SearchParameters.invalid("Invalid facet '$spec': unknown parameter(s) $unknown.")
            val ranged = "values" in params || "interval" in params
            if ((ranged && ("count" in params || "sort" in params)) || ("values" in params && "interval" in params)) {
                throw SearchParameters.invalid("Invalid facet '$spec': count and sort cannot be combined with interval or values, nor interval with values.")
            }
            val count = params["count"]?.let { it.toIntOrNull()?.takeIf { n -> n > 0 } ?: throw SearchParameters.invalid("Invalid facet '$spec': count must be a positive number.") } ?: DEFAULT_COUNT
            val sort = params["sort"] ?: "count"
            if (sort !in setOf("count", "-count", "value", "-value")) throw SearchParameters.invalid("Invalid facet '$spec': sort must be count, -count, value or -value.")
            val raw = params["values"]?.split('|')?.map { it.trim() } ?: emptyList()
            val bounds = params["values"]?.let { raw.map { text -> SearchValues.boundary(text) ?: throw SearchParameters.invalid("Invalid facet '$spec': '$text' is not a number or a date.") } }
            val interval = params["interval"]?.also { value ->
                val ok = value.toBigDecimalOrNull()?.let { it > BigDecimal.ZERO } ?: (value.lowercase() in setOf("minute", "hour", "day", "week", "month", "quarter", "year"))
                if (!ok) throw SearchParameters.invalid("Invalid facet '$spec': interval must be a positive number or minute, hour, day, week, month, quarter or year.")
            }
            val offset = params["timeoffset"]?.let { text ->
                if (interval == null) throw SearchParameters.invalid("Invalid facet '$spec': timeoffset needs interval.")
                runCatching { ZoneOffset.of(if (text.length == 3) "$text:00" else text) }.getOrNull()
                    ?: throw SearchParameters.invalid("Invalid facet '$spec': timeoffset must be [+-]hh:mm, [+-]hhmm or [+-]hh.")
            } ?: ZoneOffset.UTC
            return SearchFacet(parts[0], table, field, count, sort, bounds, raw, interval, offset)
        }
    }
}
