package dev.dataverse.internal.paging

import dev.dataverse.DataverseRecord
import dev.dataverse.Page
import dev.dataverse.PageCursor
import dev.dataverse.Pager
import dev.dataverse.internal.protocol.RepeatGuard
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.Operation
import dev.dataverse.internal.transport.observed
import dev.dataverse.internal.transport.operation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.transform
import java.util.UUID

/**
 * The one pager of the client: [fetcher] knows how a page of its listing is read, this class how pages follow each
 * other (lazily, under one correlation id, never following a token twice). [repeated] names the token in the error a
 * repeated one raises ("next link", "paging cookie").
 */
internal class RealPager(
    private val transport: HttpTransport,
    /** The public call a listing is, for telemetry ("records.list"). */
    private val name: String,
    /** The table listed, when known before the first page. */
    private val table: String?,
    private val repeated: String,
    private val fetcher: PageFetcher,
) : Pager {

    override fun pages(continuationToken: String?): Flow<Page> = flow {
        val cursor = Cursor(continuationToken)
        // emit returns only when the collector wants more, so the next page is requested no earlier than that. Observed, so
        // that a collector stopping early (or cancelled) still ends the listing's telemetry.
        observed(cursor.operation) { while (cursor.hasNext) emit(cursor.next()) }
    }

    override fun records(continuationToken: String?): Flow<DataverseRecord> =
        pages(continuationToken).transform { page -> page.records.forEach { emit(it) } }

    override fun cursor(continuationToken: String?): PageCursor = Cursor(continuationToken)

    override fun toString(): String = "Pager($repeated)"

    private inner class Cursor(start: String?) : PageCursor {
        /** The listing as one call: started with the cursor, ended by its last page or its first failure. */
        val operation = Operation(UUID.randomUUID().toString(), name, table).start(transport)
        private val followed = RepeatGuard(repeated).also { guard -> start?.let { guard.check(fetcher.repeatKey(it)) } }
        private var token: String? = start
        private var finished = false

        override val correlationId: String get() = operation.correlationId
        override val hasNext: Boolean get() = !finished
        override val continuationToken: String? get() = token

        override suspend fun next(): Page {
            if (finished) throw NoSuchElementException("The listing has no more pages.")
            val page = try {
                operation(transport, operation) { fetcher.fetch(token) }.also { page ->
                    // Checked before the page is handed out, so a consumer never sees rows of a page whose link is refused.
                    page.continuationToken?.let { followed.check(fetcher.repeatKey(it)) }
                }
            } catch (e: Throwable) {
                operation.end(e)
                throw e
            }
            token = page.continuationToken
            finished = token == null
            if (finished) operation.end(null)
            return page
        }

        override fun toString(): String = "PageCursor(correlationId=$correlationId, hasNext=$hasNext)"
    }
}
