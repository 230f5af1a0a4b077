package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.ElasticTables
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.PageState
import dev.dataverse.emulator.internal.records.Projection
import dev.dataverse.emulator.internal.records.RecordFilters
import dev.dataverse.emulator.internal.records.RecordOrdering
import dev.dataverse.emulator.internal.records.RecordQuery
import dev.dataverse.emulator.internal.store.StoredRecord
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * `GET {set}` with `$select`, `$filter`, `$orderby`, `$top`, `$count`, `$expand` and server-driven paging
 * (`Prefer: odata.maxpagesize`, absolute `@odata.nextLink` with a stateless `$skiptoken`), or with a `fetchXml` query
 * ([FetchXmlHandler]) or a `sql` query ([SqlHandler]); and `POST {set}`.
 */
internal class RecordCollectionHandler(private val context: EmulatorContext) {
    private val fetchXml = FetchXmlHandler(context)
    private val sql = SqlHandler(context)
    private val changes = ChangeTrackingHandler(context)

    fun list(call: ApiCall, table: TableDefinition): ApiResponse {
        call.target.option(FETCH_XML)?.let { return fetchXml.handle(call, table, it) }
        call.target.option(SqlHandler.SQL)?.let { return sql.handle(call, table, it) }
        if (changes.applies(call)) return changes.list(call, table)
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.COLLECTION)
        val projection = Projection.of(context.catalog, table, options)
        val ordering = RecordOrdering.of(table, options.orderBy)
        val filter = options.filter?.let { RecordFilters.compile(table, it) }
        val query = RecordQuery(context.store.table(table), ElasticTables.withPartitionFilter(table, call, filter), ordering)
        val pageSize = Paging.pageSize(call)
        val (rows, next) = readPage(query, ordering, options, pageSize, Paging.topLimit(call, options.top))

        val writer = EntityWriter(context.catalog, context.store, call.preferences.annotations)
        val body = LinkedHashMap<String, JsonElement>()
        val select = projection.contextSelect?.let { "($it)" }.orEmpty()
        body["@odata.context"] = JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}$select")
        if (options.count) body += Paging.countProperties(call, query.count().toLong(), Paging.countLimit(table))
        body["value"] = JsonArray(rows.map { writer.write(table, it, projection) })
        next?.let { body["@odata.nextLink"] = JsonPrimitive(Paging.nextLink(call, it)) }
        return ApiResponse.json(200, JsonObject(body), call.preferenceApplied(Paging.maxPageSizeApplied(call, pageSize)))
    }

    /**
     * `GET {set}/$count` (optionally with `$filter`): the number of rows as `text/plain`, capped at 5000 (500 for an
     * elastic table) like `@odata.count` (Learn: webapi/query/count-rows).
     */
    fun count(call: ApiCall, table: TableDefinition): ApiResponse {
        if (call.target.option("\$deltatoken") != null) return changes.count(call, table)
        val options = QueryOptions.parse(call.target.parameters, COUNT_OPTIONS)
        val filter = options.filter?.let { RecordFilters.compile(table, it) }
        val query = RecordQuery(context.store.table(table), ElasticTables.withPartitionFilter(table, call, filter), RecordOrdering.of(table, emptyList()))
        return ApiResponse.text(200, Paging.countOf(query.count().toLong(), Paging.countLimit(table)).first.toString(), "text/plain")
    }

    /** The rows of the page the skip token points at, capped by [top], and the state of the next page if there is one. */
    private fun readPage(query: RecordQuery, ordering: RecordOrdering, options: QueryOptions, pageSize: Int, top: Int?): Pair<List<StoredRecord>, PageState?> {
        val state = options.skipToken?.let(PageState::fromSkipToken)
        if (state != null && !ordering.fits(state.position)) {
            throw ApiErrors.badRequest("The \$skiptoken does not belong to this query. Follow the @odata.nextLink of the previous response verbatim.")
        }
        val returned = state?.returned ?: 0
        val remaining = top?.let { maxOf(0, it - returned) }
        val page = query.page(state?.position, minOf(pageSize, remaining ?: pageSize))
        val hasNext = page.hasMore && (remaining == null || page.rows.size < remaining)
        val next = if (hasNext) PageState((state?.pageNumber ?: 1) + 1, returned + page.rows.size, ordering.positionOf(page.rows.last())) else null
        return page.rows to next
    }

    fun create(call: ApiCall, table: TableDefinition): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.SINGLE)
        val changes = context.payloads.read(table, context.payloads.parseObject(call.request.body), creating = true)
        val record = context.writer.create(table, changes)
        val headers = listOf(RecordHandler.createdEntityIdHeader(context, table, record)) + RecordHandler.sessionTokenHeaders(context, table)
        if (!call.preferences.returnRepresentation) return ApiResponse.empty(204, headers)
        val body = RecordEntityHandler.representation(context, call, table, record, options)
        return ApiResponse.json(201, body, headers + call.preferenceApplied(RETURN_REPRESENTATION))
    }

    companion object {
        const val RETURN_REPRESENTATION: String = "return=representation"

        /** The query parameter carrying a FetchXML query (matched case-insensitively). */
        const val FETCH_XML: String = "fetchXml"

        private val COUNT_OPTIONS = setOf("\$filter")
    }
}
