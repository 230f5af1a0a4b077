package dev.dataverse.internal.protocol

import dev.dataverse.ListOptions
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions

/** Resource paths and query strings, relative to the API root. */
internal object QueryStrings {
    /** `accounts(00000000-...)` or `accounts(accountnumber='A%2F1')`. */
    fun recordPath(entitySet: String, key: RecordKey): String = "$entitySet(${UrlEncoding.pathSegment(key.segment)})"

    fun retrieveQuery(options: RetrieveOptions): String = queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            if (options.expand.isNotEmpty()) add("\$expand" to options.expand.joinToString(","))
        },
    )

    fun listQuery(options: ListOptions): String = queryString(
        buildList {
            if (options.select.isNotEmpty()) add("\$select" to options.select.joinToString(","))
            options.filter?.let { add("\$filter" to it) }
            if (options.orderBy.isNotEmpty()) add("\$orderby" to options.orderBy.joinToString(",") { it.trim().replace(Regex(" +"), " ") })
            if (options.expand.isNotEmpty()) add("\$expand" to options.expand.joinToString(","))
            options.top?.let { add("\$top" to it.toString()) }
            if (options.count) add("\$count" to "true")
        },
    )

    /** `?a=1&b=2` with names and values percent-encoded, or an empty string when there are no parameters. */
    fun queryString(parameters: List<Pair<String, String>>): String =
        if (parameters.isEmpty()) "" else parameters.joinToString("&", prefix = "?") { (name, value) ->
            UrlEncoding.query(name) + "=" + UrlEncoding.query(value)
        }

    /** The `Prefer` header for reads, or `null` when nothing is preferred. */
    fun readPreferences(pageSize: Int?, includeAnnotations: Boolean): String? = listOfNotNull(
        pageSize?.let { "odata.maxpagesize=$it" },
        if (includeAnnotations) "odata.include-annotations=\"*\"" else null,
    ).joinToString(",").ifEmpty { null }
}
