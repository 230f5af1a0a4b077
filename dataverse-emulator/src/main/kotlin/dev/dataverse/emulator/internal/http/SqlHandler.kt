package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.query.PositionedRow
import dev.dataverse.emulator.internal.query.QueryContinuation
import dev.dataverse.emulator.internal.query.ResultPage
import dev.dataverse.emulator.internal.query.ResultPages
import dev.dataverse.emulator.internal.query.ResultWriter
import dev.dataverse.emulator.internal.query.ValueKeys
import dev.dataverse.emulator.internal.records.ColumnWriter
import dev.dataverse.emulator.internal.sql.SqlParser
import dev.dataverse.emulator.internal.sql.SqlPlan
import dev.dataverse.emulator.internal.sql.SqlPlanner
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * `GET {set}?sql=SELECT ...`: runs the read-only SQL subset ([SqlParser]) and answers with a normal OData collection,
 * paged by `Prefer: odata.maxpagesize` with an absolute `@odata.nextLink` (the service has no `TOP`). Plain rows
 * page after the position of the last row returned (exact when records change between pages); grouped and DISTINCT
 * results page by offset.
 */
internal class SqlHandler(private val context: EmulatorContext) {

    fun handle(call: ApiCall, table: TableDefinition, sql: String): ApiResponse {
        call.target.parameters.firstOrNull { it.name.startsWith("$") && !it.name.equals(SKIP_TOKEN, ignoreCase = true) }?.let {
            throw ApiErrors.badRequest("The query option '${it.name}' cannot be combined with sql; express it in the SQL query.")
        }
        val plan = SqlPlanner(context.catalog, table, SqlParser.parse(sql)).plan()
        val state = call.target.option(SKIP_TOKEN)?.let(QueryContinuation::fromSkipToken)
        val pageSize = Paging.pageSize(call)
        val returned = state?.returned ?: 0
        val writer = ResultWriter(ColumnWriter(context.catalog, context.store, call.preferences.annotations), omitNulls = false)

        val (values, page) = run(plan, state, pageSize, writer)
        val hasNext = page.hasMore
        val body = LinkedHashMap<String, JsonElement>()
        body["@odata.context"] = JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}")
        body["value"] = JsonArray(values)
        if (hasNext) {
            val last = page.rows.last()
            val next = QueryContinuation(
                pageNumber = (state?.pageNumber ?: 1) + 1,
                returned = returned + page.rows.size,
                position = if (plan.aggregation == null && !plan.distinct) (last as PositionedRow).position else null,
                offset = (state?.offset ?: 0) + page.rows.size,
            )
            body["@odata.nextLink"] = JsonPrimitive(Paging.nextLink(call, next.toSkipToken()))
        }
        return ApiResponse.json(200, JsonObject(body), call.preferenceApplied(Paging.maxPageSizeApplied(call, pageSize)))
    }

    /** The JSON rows of the page and the page itself (of positioned rows for plain queries, of groups otherwise). */
    private fun run(plan: SqlPlan, state: QueryContinuation?, limit: Int, writer: ResultWriter): Pair<List<JsonObject>, ResultPage<*>> {
        val aggregation = plan.aggregation
        if (aggregation != null) {
            requireOffset(state)
            val page = ResultPages.atOffset(aggregation.run(plan.query.matchingRows(context.store)), state?.offset ?: 0, limit)
            return page.rows.map { writer.aggregate(it, aggregation) } to page
        }
        val sorted = plan.query.sortedRows(context.store)
        val page = if (plan.distinct) {
            requireOffset(state)
            ResultPages.atOffset(ValueKeys.distinct(sorted, plan.columns), state?.offset ?: 0, limit)
        } else {
            val position = state?.let { it.position ?: throw invalidToken() }
            if (position != null && !plan.query.ordering.fits(position)) throw invalidToken()
            if (position == null) ResultPages.atOffset(sorted, 0, limit) else ResultPages.after(sorted, plan.query.ordering, position, limit)
        }
        return page.rows.map { writer.row(it.row, plan.columns, etag = !plan.distinct) } to page
    }

    private fun requireOffset(state: QueryContinuation?) {
        if (state?.position != null) throw invalidToken()
    }

    private fun invalidToken() =
        ApiErrors.badRequest("The \$skiptoken does not belong to this query. Follow the @odata.nextLink of the previous response verbatim.")

    companion object {
        /** The query parameter carrying a SQL query. */
        const val SQL: String = "sql"
        private const val SKIP_TOKEN = "\$skiptoken"
    }
}
