package dev.dataverse.internal.paging

import dev.dataverse.internal.RequestIdGenerator
import dev.dataverse.internal.protocol.RepeatGuard
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.Operation
import dev.dataverse.internal.transport.operation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * How one kind of listing reads its pages, whatever a page holds: the first for a `null` token, else the page a
 * continuation token designates, and which token a page hands on. Kept stateless between pages: the token is the whole
 * position. [PageFetcher] is this for pages of records.
 */
internal interface PageSource<P : Any> {
    suspend fun fetch(continuationToken: String?): P

    /** The token of the page after [page]; `null` when [page] is the last. */
    fun continuationOf(page: P): String?

    /**
     * What of [continuationToken] must never come back within one listing: the whole token by default; the paging
     * cookie for FetchXML, whose tokens also count pages and so never repeat even when the service's cookie does.
     */
    fun repeatKey(continuationToken: String): String = continuationToken
}

/**
 * The one way pages follow each other in this client, for every listing (records, FetchXML, SQL, changes): lazily,
 * under one correlation id, never following a token twice. [name] is the public call for telemetry ("records.list"),
 * [table] the table listed when known, [repeated] names the token in the error a repeated one raises ("next link").
 */
internal class PageChain<P : Any>(
    private val transport: HttpTransport,
    private val name: String,
    private val table: String?,
    private val repeated: String,
    private val source: PageSource<P>,
) {
    /** The pages as a cold flow from [continuationToken]; each collection is one listing. */
    fun pages(continuationToken: String?): Flow<P> = flow {
        val cursor = cursor(continuationToken)
        // emit returns only when the collector wants more, so the next page is requested no earlier than that. A collector
        // stopping early (or cancelled) ends the listing's operation with that cancellation.
        try {
            while (cursor.hasNext) emit(cursor.next())
        } catch (e: Throwable) {
            cursor.end(e)
            throw e
        }
        cursor.close()
    }

    fun cursor(continuationToken: String?): Cursor = Cursor(continuationToken)

    override fun toString(): String = "Pager($repeated)"

    /**
     * Pages of one listing, one [next] at a time. A failed [next] leaves the position as it was. The listing's operation
     * (its telemetry) starts with the first [next] and ends with the last page, a failure, [close], or — for a cursor
     * dropped half-way — when the garbage collector finds the cursor unreachable ([AbandonedListings]). A [next] after
     * that continues under the same correlation id as a new operation.
     */
    inner class Cursor(start: String?) {
        val correlationId: String = RequestIdGenerator.next()
        private val followed = RepeatGuard(repeated).also { guard -> start?.let { guard.check(source.repeatKey(it)) } }
        private var token: String? = start
        private var finished = false

        /** The operation of the current run of [next] calls; `null` before the first and after one ended. */
        private var running: Operation? = null

        val hasNext: Boolean get() = !finished
        val continuationToken: String? get() = token

        suspend fun next(): P {
            if (finished) throw NoSuchElementException("The listing has no more pages.")
            val operation = running ?: start()
            val page = try {
                operation(transport, operation) { source.fetch(token) }.also { page ->
                    // Checked before the page is handed out, so a consumer never sees rows of a page whose link is refused.
                    source.continuationOf(page)?.let { followed.check(source.repeatKey(it)) }
                }
            } catch (e: Throwable) {
                end(e)
                throw e
            }
            token = source.continuationOf(page)
            finished = token == null
            if (finished) end(null)
            return page
        }

        /** Ends the current run's operation, as a success: every page asked for was delivered. */
        fun close() = end(null)

        /** Ends the current run's operation with [error] (`null`: success). */
        fun end(error: Throwable?) {
            val operation = running ?: return
            running = null
            operation.end(error)
        }

        private fun start(): Operation = Operation(correlationId, name, table).start(transport).also { operation ->
            running = operation
            // Only an instrumented client has something to end; a client without instrumentation registers nothing.
            if (operation.observer != null) AbandonedListings.watch(this, operation)
        }

        override fun toString(): String = "PageCursor(correlationId=$correlationId, hasNext=$hasNext)"
    }
}
