package dev.dataverse.internal.paging

import dev.dataverse.DataverseRecord
import dev.dataverse.Page
import dev.dataverse.PageCursor
import dev.dataverse.Pager
import dev.dataverse.internal.transport.HttpTransport
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.transform

/**
 * The [Pager] of record listings: [fetcher] knows how a page of its listing is read, [PageChain] how pages follow each
 * other. [repeated] names the token in the error a repeated one raises ("next link", "paging cookie").
 */
internal class RealPager(
    transport: HttpTransport,
    /** The public call a listing is, for telemetry ("records.list"). */
    name: String,
    /** The table listed, when known before the first page. */
    table: String?,
    repeated: String,
    fetcher: PageFetcher,
) : Pager {
    private val chain = PageChain(transport, name, table, repeated, fetcher)

    override fun pages(continuationToken: String?): Flow<Page> = chain.pages(continuationToken)

    override fun records(continuationToken: String?): Flow<DataverseRecord> =
        pages(continuationToken).transform { page -> page.records.forEach { emit(it) } }

    override fun cursor(continuationToken: String?): PageCursor = Cursor(chain.cursor(continuationToken))

    override fun toString(): String = chain.toString()

    private class Cursor(private val cursor: PageChain<Page>.Cursor) : PageCursor {
        override val correlationId: String get() = cursor.correlationId
        override val hasNext: Boolean get() = cursor.hasNext
        override val continuationToken: String? get() = cursor.continuationToken

        override suspend fun next(): Page = cursor.next()

        override fun close() = cursor.close()

        override fun toString(): String = cursor.toString()
    }
}
