package dev.dataverse.internal.protocol

import dev.dataverse.RequestOptions

/**
 * How [RequestOptions] appear on one request: headers, and the `tag` query option. Pure; used for top-level requests and
 * for each part of a `$batch` alike, so both carry the same headers.
 */
internal object RequestOptionHeaders {
    const val CALLER_OBJECT_ID = "CallerObjectId"
    const val CALLER_ID = "MSCRMCallerID"
    const val BYPASS_BUSINESS_LOGIC = "MSCRM.BypassBusinessLogicExecution"
    const val BYPASS_CUSTOM_PLUGINS = "MSCRM.BypassCustomPluginExecution"
    const val SUPPRESS_DUPLICATE_DETECTION = "MSCRM.SuppressDuplicateDetection"
    const val SOLUTION_UNIQUE_NAME = "MSCRM.SolutionUniqueName"

    /**
     * The headers [options] add to a request sent with [method]. Impersonation applies to every request (reads too);
     * the bypass headers, duplicate detection and the solution only to writes, the requests they act on (Learn:
     * "Bypass custom Dataverse logic", "Detect duplicate data using the Web API", "Create and update table definitions
     * using the Web API").
     */
    fun headers(options: RequestOptions?, method: String): List<Pair<String, String>> {
        if (options == null || options.isEmpty) return emptyList()
        val write = !method.equals("GET", ignoreCase = true)
        return buildList {
            options.callerObjectId?.let { add(CALLER_OBJECT_ID to it.toString()) }
            options.callerId?.let { add(CALLER_ID to it.toString()) }
            if (!write) return@buildList
            options.bypassBusinessLogic?.let { logic ->
                add(BYPASS_BUSINESS_LOGIC to logic.sortedBy { it.ordinal }.joinToString(",") { it.headerValue })
            }
            if (options.bypassCustomPluginExecution == true) add(BYPASS_CUSTOM_PLUGINS to "true")
            // Only creates and updates run duplicate detection; "false" is the value that turns it on.
            if (options.duplicateDetection == true && (method == "POST" || method == "PATCH")) add(SUPPRESS_DUPLICATE_DETECTION to "false")
            options.solutionUniqueName?.let { add(SOLUTION_UNIQUE_NAME to it) }
        }
    }

    /**
     * [url] with `tag=<value>` appended to its query when [options] set a tag and the URL has none yet (a next-page link
     * may already carry it).
     */
    fun withTag(url: String, options: RequestOptions?): String {
        val tag = options?.tag ?: return url
        val query = url.substringAfter('?', "")
        if (query.split('&').any { it.startsWith("tag=") }) return url
        return url + (if ('?' in url) "&" else "?") + "tag=" + UrlEncoding.query(tag)
    }
}
