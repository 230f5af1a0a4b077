package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.records.EntityWriter
import dev.dataverse.emulator.internal.records.FormattedValues
import dev.dataverse.emulator.internal.records.PageState
import dev.dataverse.emulator.internal.records.Projection
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.RowPosition
import dev.dataverse.emulator.internal.synthetic.SyntheticJsonWriter
import dev.dataverse.emulator.internal.synthetic.SyntheticRanges
import dev.dataverse.emulator.internal.synthetic.SyntheticRows

/**
 * Reads of the synthetic table: `GET dv_syntheticrows` with `$select`, `$top`, `$count`, a `$filter` that selects one
 * range of rows (see [SyntheticRanges]) and the same server-driven paging as other tables (each page computed from row
 * indexes, never materialising the table), and `GET dv_syntheticrows(<id>)`. Other filters, `$orderby` and `$expand`
 * are 400s; writes are 405s.
 */
internal class SyntheticRowsHandler(private val context: EmulatorContext, private val rows: SyntheticRows) {
    private val table: TableDefinition get() = rows.table
    private val ranges = SyntheticRanges(rows)

    fun handle(call: ApiCall): ApiResponse {
        if (call.method != "GET") throw readOnly(table)
        val segments = call.target.segments
        if (segments.size > 1) throw ApiErrors.segmentNotFound(segments[1].toString())
        val keyText = segments[0].keyText ?: return list(call)
        return single(call, keyText)
    }

    private fun list(call: ApiCall): ApiResponse {
        rejectUnsupported(call)
        val options = QueryOptions.parse(call.target.parameters, LIST_OPTIONS)
        val projection = Projection.of(context.catalog, table, options)
        val selected = options.filter?.let { filter ->
            ranges.rangeOf(filter) ?: throw ApiErrors.badRequest(
                "The synthetic table '${table.entitySetName}' supports only \$filter ranges of ${SyntheticRows.ID}, " +
                    "${SyntheticRows.NUMBER} and ${SyntheticRows.CREATED_ON} (comparisons joined by and/or).",
            )
        } ?: SyntheticRanges.Range(0, rows.count)
        val pageSize = Paging.pageSize(call)
        val state = options.skipToken?.let(PageState::fromSkipToken)
        val start = maxOf(selected.first, state?.let { startAfter(it) } ?: 0L)
        val returned = state?.returned ?: 0
        val remaining = Paging.topLimit(call, options.top)?.let { maxOf(0, it - returned) }
        val limit = minOf(pageSize, remaining ?: pageSize)
        val end = maxOf(start, minOf(selected.end, start + limit))
        val size = (end - start).toInt()
        val hasNext = end < selected.end && (remaining == null || size < remaining)

        val out = StringBuilder(APPROXIMATE_ROW_LENGTH * size + HEADER_LENGTH)
        val select = projection.contextSelect?.let { "($it)" }.orEmpty()
        out.append("{\"@odata.context\":")
        SyntheticJsonWriter.appendString(out, "${context.apiUrl}/\$metadata#${table.entitySetName}$select")
        if (options.count) {
            for ((name, value) in Paging.countProperties(call, maxOf(0, selected.end - selected.first))) {
                out.append(',')
                SyntheticJsonWriter.appendString(out, name)
                out.append(':').append(value.content)
            }
        }
        out.append(",\"value\":[")
        val writer = SyntheticJsonWriter(rows, projection.columns, call.preferences.annotations.includes(FormattedValues.ANNOTATION))
        for (index in start until end) {
            if (index > start) out.append(',')
            writer.appendRow(out, index)
        }
        out.append(']')
        if (hasNext) {
            val next = PageState((state?.pageNumber ?: 1) + 1, returned + size, RowPosition(emptyList(), rows.idOf(end - 1)))
            out.append(",\"@odata.nextLink\":")
            SyntheticJsonWriter.appendString(out, Paging.nextLink(call, next))
        }
        out.append('}')
        val body = out.toString().toByteArray(Charsets.UTF_8)
        return ApiResponse(200, call.preferenceApplied(Paging.maxPageSizeApplied(call, pageSize)), body, ApiResponse.JSON_CONTENT_TYPE)
    }

    private fun single(call: ApiCall, keyText: String): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, QueryOptions.SINGLE)
        val projection = Projection.of(context.catalog, table, options)
        val key = RecordKey.resolve(table, keyText) as RecordKey.ById
        val index = rows.indexOf(key.id) ?: throw ApiErrors.recordNotFound(table.logicalName, key.id)
        val out = StringBuilder(APPROXIMATE_ROW_LENGTH + HEADER_LENGTH)
        val select = projection.contextSelect?.let { "($it)" }.orEmpty()
        out.append("{\"@odata.context\":")
        SyntheticJsonWriter.appendString(out, "${context.apiUrl}/\$metadata#${table.entitySetName}$select/\$entity")
        val entity = StringBuilder()
        SyntheticJsonWriter(rows, projection.columns, call.preferences.annotations.includes(FormattedValues.ANNOTATION)).appendRow(entity, index)
        out.append(',').append(entity, 1, entity.length)
        val headers = listOf("ETag" to EntityWriter.etag(rows.versionOf(index))) + call.preferenceApplied()
        return ApiResponse(200, headers, out.toString().toByteArray(Charsets.UTF_8), ApiResponse.JSON_CONTENT_TYPE)
    }

    /** The index of the first row after the page [state] ended with. */
    private fun startAfter(state: PageState): Long {
        val last = state.position.takeIf { it.sortValues.isEmpty() }?.let { rows.indexOf(it.id) }
            ?: throw ApiErrors.badRequest("The \$skiptoken does not belong to this query. Follow the @odata.nextLink of the previous response verbatim.")
        return last + 1
    }

    private fun rejectUnsupported(call: ApiCall) {
        val unsupported = call.target.parameters.map { it.name.lowercase() }.firstOrNull { it in UNSUPPORTED_OPTIONS } ?: return
        throw ApiErrors.badRequest(
            "The synthetic table '${table.entitySetName}' does not support $unsupported; it supports \$select, range \$filters, \$top, \$count and paging.",
        )
    }

    companion object {
        private val LIST_OPTIONS = setOf("\$select", "\$filter", "\$top", "\$count", "\$skiptoken")
        private val UNSUPPORTED_OPTIONS = setOf("\$orderby", "\$expand")
        private const val APPROXIMATE_ROW_LENGTH = 256
        private const val HEADER_LENGTH = 512

        /** The answer to any write to [table]: its rows are generated, not stored. */
        fun readOnly(table: TableDefinition): ApiException = ApiException(
            405,
            ErrorCodes.ODATA_ERROR,
            "The table '${table.logicalName}' is read-only: the emulator generates its rows.",
            listOf("Allow" to "GET"),
        )
    }
}
