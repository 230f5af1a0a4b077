package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableType

/** Resource paths and query strings, relative to the API root. */
internal object QueryStrings {
    /**
     * `accounts(00000000-...)`, `accounts(accountnumber='A%2F1')`, or for a partitioned key of an elastic table
     * `contoso_sensordatas(contoso_sensordataid=...,partitionid='device-001')`.
     *
     * @throws dev.dataverse.InvalidInputException for a partitioned key of a standard table: only elastic tables have partitions.
     */
    fun recordPath(table: TableMetadata, key: RecordKey): String {
        if (key.partitionId != null && table.tableType != TableType.ELASTIC) {
            throw InvalidInputException(
                "Table '${table.logicalName}' is not an elastic table: a partition id (RecordKey.partitioned) identifies records of elastic tables only.",
            )
        }
        return "${table.entitySetName}(${UrlEncoding.pathSegment(key.segment(table.primaryIdAttribute))})"
    }

    fun retrieveQuery(options: RetrieveOptions): String = if (options.select.isEmpty() && options.expand.isEmpty()) "" else queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            if (options.expand.isNotEmpty()) add("\$expand" to options.expand.joinToString(",") { it.toODataString() })
        },
    )

    /**
     * The query string of a listing. `$top` goes only into a request that one page can serve (see [RowLimits]); a
     * larger limit is kept by the client.
     */
    fun listQuery(options: ListOptions): String = queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            options.filter?.let { add("\$filter" to it.toODataString()) }
            if (options.orderBy.isNotEmpty()) add("\$orderby" to options.orderBy.joinToString(",") { it.trim().replace(Regex(" +"), " ") })
            if (options.expand.isNotEmpty()) add("\$expand" to options.expand.joinToString(",") { it.toODataString() })
            if (RowLimits.singleRequest(options)) add("\$top" to options.top.toString())
            if (options.count) add("\$count" to "true")
        },
    )

    /** `?a=1&b=2` with names and values percent-encoded, or an empty string when there are no parameters. */
    fun queryString(parameters: List<Pair<String, String>>): String =
        if (parameters.isEmpty()) "" else parameters.joinToString("&", prefix = "?") { (name, value) ->
            UrlEncoding.query(name) + "=" + UrlEncoding.query(value)
        }

    /**
     * The `Prefer` header for reads, or `null` when nothing is preferred. The count annotations come only when asked
     * for through `odata.include-annotations` (Learn: webapi/query/count-rows), so [count] asks for them by name.
     */
    fun readPreferences(pageSize: Int?, includeAnnotations: Boolean, count: Boolean = false): String? {
        if (pageSize == null && !includeAnnotations && !count) return null // most reads: no list to build
        return listOfNotNull(
            pageSize?.let { "odata.maxpagesize=$it" },
            when {
                includeAnnotations -> "odata.include-annotations=\"*\""
                count -> "odata.include-annotations=\"$TOTAL_RECORD_COUNT,$TOTAL_RECORD_COUNT_LIMIT_EXCEEDED\""
                else -> null
            },
        ).joinToString(",").ifEmpty { null }
    }

    /** The `Prefer` header of a listing: a page size only when no single `$top` request serves it (see [RowLimits]). */
    fun listPreferences(options: ListOptions): String? = readPreferences(
        options.pageSize.takeUnless { RowLimits.singleRequest(options) }, options.includeAnnotations, options.count,
    )

    const val TOTAL_RECORD_COUNT = "Microsoft.Dynamics.CRM.totalrecordcount"
    const val TOTAL_RECORD_COUNT_LIMIT_EXCEEDED = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"
}
