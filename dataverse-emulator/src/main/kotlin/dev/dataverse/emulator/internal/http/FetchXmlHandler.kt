package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.fetchxml.FetchDocument
import dev.dataverse.emulator.internal.fetchxml.FetchPagingCookie
import dev.dataverse.emulator.internal.fetchxml.FetchPlan
import dev.dataverse.emulator.internal.fetchxml.FetchPlanner
import dev.dataverse.emulator.internal.fetchxml.FetchXmlReader
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.query.PositionedRow
import dev.dataverse.emulator.internal.query.ResultPage
import dev.dataverse.emulator.internal.query.ResultPages
import dev.dataverse.emulator.internal.query.ResultWriter
import dev.dataverse.emulator.internal.query.ValueKeys
import dev.dataverse.emulator.internal.records.ColumnWriter
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * `GET {set}?fetchXml=...`: runs the FetchXML subset the emulator understands and answers as the service does, with
 * `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` and `@Microsoft.Dynamics.CRM.morerecords` when the client asks for those
 * annotations. Pages follow `count` and `page`, continuing after the paging cookie when the client sends back the one of
 * the previous page, else skipping `(page - 1) × count` rows. `distinct` queries page by number only and return no cookie,
 * as the service does for queries it cannot page with cookies, and so do aggregate queries. The last page carries
 * neither annotation.
 */
internal class FetchXmlHandler(private val context: EmulatorContext) {

    fun handle(call: ApiCall, table: TableDefinition, xml: String): ApiResponse {
        call.target.parameters.firstOrNull { it.name.startsWith("$") && !it.name.equals("\$count", ignoreCase = true) }?.let {
            throw ApiErrors.badRequest("The query option '${it.name}' cannot be combined with fetchXml; express it in the FetchXML.")
        }
        val document = FetchXmlReader.read(xml)
        val plan = FetchPlanner(context.catalog, context.store, table, document).plan()
        val annotations = call.preferences.annotations
        val writer = ResultWriter(ColumnWriter(context.catalog, context.store, annotations), omitNulls = true)
        val body = LinkedHashMap<String, JsonElement>()
        body["@odata.context"] = JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}")
        val aggregation = plan.aggregation
        if (aggregation != null) {
            val matching = plan.query.matchingRows(context.store)
            // Learn ("Aggregate data using FetchXml", Limitations): an aggregate over more than 50,000 records, or over
            // more than the query's own `aggregatelimit` (which cannot raise it), fails with AggregateQueryRecordLimit.
            // Learn gives the code and message, not the HTTP status: 400 is a guess.
            val limit = minOf(AGGREGATE_RECORD_LIMIT, document.aggregateLimit ?: AGGREGATE_RECORD_LIMIT)
            if (matching.size > limit) {
                throw ApiException(400, ErrorCodes.AGGREGATE_QUERY_RECORD_LIMIT, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.")
            }
            val groups = aggregation.run(matching)
            // Simple paging (count and page) over the groups: an aggregate query has no paging cookie (Learn: "Page
            // results using FetchXml", queries that don't support paging cookies fall back to simple paging).
            val page = document.top?.let { ResultPages.atOffset(groups, 0, it) } ?: simplePage(document, groups)
            if (page.hasMore && document.top == null && annotations.includes(MORE_RECORDS)) body["@$MORE_RECORDS"] = JsonPrimitive(true)
            body["value"] = JsonArray(page.rows.map { writer.aggregate(it, aggregation) })
        } else {
            val sorted = plan.query.sortedRows(context.store)
            val rows = if (document.distinct) ValueKeys.distinct(sorted, plan.columns) else sorted
            val page = page(document, plan, table, rows)
            val more = page.hasMore && document.top == null
            val pageNumber = document.page ?: 1
            // Learn ("Page results using FetchXml"): the last page carries neither annotation, and the documented sample
            // code stops paging when morerecords is absent.
            if (more && annotations.includes(PAGING_COOKIE) && !document.distinct && page.rows.isNotEmpty()) {
                body["@$PAGING_COOKIE"] = JsonPrimitive(FetchPagingCookie.annotation(pageNumber, table, plan.orderNames, page.rows.first(), page.rows.last()))
            }
            if (more && annotations.includes(MORE_RECORDS)) body["@$MORE_RECORDS"] = JsonPrimitive(true)
            if (document.returnTotalRecordCount) addTotalCount(body, rows.size, annotations::includes)
            body["value"] = JsonArray(page.rows.map { writer.row(it.row, plan.columns, etag = !document.distinct) })
        }
        return ApiResponse.json(200, JsonObject(body), call.preferenceApplied())
    }

    private fun page(document: FetchDocument, plan: FetchPlan, table: TableDefinition, rows: List<PositionedRow>): ResultPage<PositionedRow> {
        document.top?.let { return ResultPages.atOffset(rows, 0, it) }
        val pageSize = document.count ?: context.options.maxPageSize.coerceAtMost(FetchPlanner.MAX_PAGE_SIZE)
        val pageNumber = document.page ?: 1
        val after = document.pagingCookie?.takeIf { !document.distinct }?.let { cookie ->
            FetchPagingCookie.read(cookie, pageNumber, table, plan.query.ordering, plan.query.sources.size)
        }
        return if (after != null) {
            ResultPages.after(rows, plan.query.ordering, after, pageSize)
        } else {
            ResultPages.atOffset(rows, ((pageNumber - 1).toLong() * pageSize).coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), pageSize)
        }
    }

    private fun <T> simplePage(document: FetchDocument, rows: List<T>): ResultPage<T> {
        val pageSize = document.count ?: context.options.maxPageSize.coerceAtMost(FetchPlanner.MAX_PAGE_SIZE)
        val offset = ((document.page ?: 1) - 1).toLong() * pageSize
        return ResultPages.atOffset(rows, offset.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), pageSize)
    }

    private fun addTotalCount(body: MutableMap<String, JsonElement>, count: Int, includes: (String) -> Boolean) {
        val (shown, exceeded) = Paging.countOf(count.toLong())
        if (includes(TOTAL_RECORD_COUNT)) body["@$TOTAL_RECORD_COUNT"] = JsonPrimitive(shown)
        if (includes(TOTAL_RECORD_COUNT_EXCEEDED)) body["@$TOTAL_RECORD_COUNT_EXCEEDED"] = JsonPrimitive(exceeded)
    }

    companion object {
        const val PAGING_COOKIE: String = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie"
        const val MORE_RECORDS: String = "Microsoft.Dynamics.CRM.morerecords"
        const val TOTAL_RECORD_COUNT: String = "Microsoft.Dynamics.CRM.totalrecordcount"
        const val TOTAL_RECORD_COUNT_EXCEEDED: String = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"

        /** The most records an aggregate query may evaluate (Learn: "Aggregate data using FetchXml", Limitations). */
        const val AGGREGATE_RECORD_LIMIT: Int = 50_000
    }
}
