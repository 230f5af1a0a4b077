package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.records.PageState
import kotlinx.serialization.json.JsonPrimitive

/** Server-driven paging shared by every collection: page size, `@odata.count` and the absolute next link. */
internal object Paging {
    /** `@odata.count` never exceeds this; larger counts add `totalrecordcountlimitexceeded`, as the service does. */
    const val COUNT_LIMIT: Int = 5000

    /** The page size: the client's `odata.maxpagesize`, capped by the emulator's maximum (also the default). */
    fun pageSize(call: ApiCall): Int {
        val maximum = call.context.options.maxPageSize
        return call.preferences.maxPageSize?.coerceAtMost(maximum) ?: maximum
    }

    /** The `Preference-Applied` value for the page size, when the client asked for one. */
    fun maxPageSizeApplied(call: ApiCall, pageSize: Int): String? = call.preferences.maxPageSize?.let { "odata.maxpagesize=$pageSize" }

    /**
     * `@odata.count` of an elastic table stops at 500 (WIRE.md §3). A guess: that the limit-exceeded annotation follows
     * that cap as it follows the 5000 one; Learn states the cap, not the annotation.
     */
    const val ELASTIC_COUNT_LIMIT: Int = 500

    /** The value of `@odata.count` for [count] rows, and whether the count limit ([limit]) was exceeded. */
    fun countOf(count: Long, limit: Int = COUNT_LIMIT): Pair<Int, Boolean> = count.coerceAtMost(limit.toLong()).toInt() to (count > limit)

    /** The count limit of [table]. */
    fun countLimit(table: dev.dataverse.emulator.internal.model.TableDefinition): Int = if (table.isElastic) ELASTIC_COUNT_LIMIT else COUNT_LIMIT

    /**
     * `@odata.count` for `$count=true`, plus `totalrecordcount` and `totalrecordcountlimitexceeded` (also when `false`)
     * only when the client asked for them through `Prefer: odata.include-annotations` (Learn: webapi/query/count-rows).
     */
    fun countProperties(call: ApiCall, count: Long, limit: Int = COUNT_LIMIT): List<Pair<String, JsonPrimitive>> {
        val (shown, exceeded) = countOf(count, limit)
        val annotations = call.preferences.annotations
        return listOfNotNull(
            "@odata.count" to JsonPrimitive(shown),
            ("@$TOTAL_RECORD_COUNT" to JsonPrimitive(shown)).takeIf { annotations.includes(TOTAL_RECORD_COUNT) },
            ("@$TOTAL_RECORD_COUNT_EXCEEDED" to JsonPrimitive(exceeded)).takeIf { annotations.includes(TOTAL_RECORD_COUNT_EXCEEDED) },
        )
    }

    /**
     * The row limit of `$top`, or `null`. Learn (webapi/query/page-results; query/overview "Limit the number of rows"):
     * with `Prefer: odata.maxpagesize` the service pages and `$top` no longer caps the rows.
     */
    fun topLimit(call: ApiCall, top: Int?): Int? = top?.takeIf { call.preferences.maxPageSize == null }

    const val TOTAL_RECORD_COUNT: String = "Microsoft.Dynamics.CRM.totalrecordcount"
    const val TOTAL_RECORD_COUNT_EXCEEDED: String = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"

    /** The absolute next link: the same path and query options, with the new `$skiptoken`. */
    fun nextLink(call: ApiCall, state: PageState): String = nextLink(call, state.toSkipToken())

    /** The absolute next link: the same path and query options, with [skipToken] as the new `$skiptoken`. */
    fun nextLink(call: ApiCall, skipToken: String): String {
        val kept = call.target.parameters.filterNot { it.name.equals("\$skiptoken", ignoreCase = true) }.map { it.raw }
        val query = (kept + "\$skiptoken=${PercentCoding.encodeQuery(skipToken)}").joinToString("&")
        return "${call.context.apiUrl}/${call.target.rawPath}?$query"
    }
}
