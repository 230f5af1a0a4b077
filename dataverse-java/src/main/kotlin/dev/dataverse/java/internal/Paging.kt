package dev.dataverse.java.internal

import dev.dataverse.DataverseRecord
import dev.dataverse.InvalidInputException
import dev.dataverse.Page
import dev.dataverse.PageCursor
import dev.dataverse.Pager
import dev.dataverse.java.PagedIterable
import dev.dataverse.java.PagedPublisher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.jdk9.asPublisher
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicReference
import java.util.stream.Stream
import java.util.stream.StreamSupport
import java.util.concurrent.Flow as JavaFlow

/**
 * [PagedIterable] over the core's one pager: each iteration is a core [PageCursor] advanced by blocking calls on the
 * iterating thread, so nothing runs between pages and there is nothing to stop when an iteration is dropped.
 */
internal class BlockingPaged(private val pager: Pager) : PagedIterable {
    override fun iterator(): Iterator<DataverseRecord> = RecordIterator(PageIterator(pager.cursor(null)))

    override fun stream(): Stream<DataverseRecord> = RecordIterator(PageIterator(pager.cursor(null))).let { lazyStream(it, it::close) }

    override fun iterableByPage(): Iterable<Page> = Iterable { PageIterator(pager.cursor(null)) }

    override fun iterableByPage(continuationToken: String): Iterable<Page> {
        val token = requireToken(continuationToken)
        return Iterable { PageIterator(pager.cursor(token)) }
    }

    override fun streamByPage(): Stream<Page> = PageIterator(pager.cursor(null)).let { lazyStream(it, it::close) }

    override fun streamByPage(continuationToken: String): Stream<Page> =
        PageIterator(pager.cursor(requireToken(continuationToken))).let { lazyStream(it, it::close) }

    override fun toString(): String = "PagedIterable($pager)"
}

/**
 * [PagedPublisher] over the core's one pager. [pager] is called for each use, so that an invalid argument (a table name)
 * reaches `onError` or the future rather than the caller. Publishers are `kotlinx-coroutines-jdk9`'s `asPublisher`,
 * which collects only while the subscriber has demand and suspends in between: no page is fetched ahead.
 */
internal class AsyncPaged(private val client: SharedClient, private val pager: () -> Pager) : PagedPublisher {
    /** The cursor of the last page future and the token it would continue from, so that [nextPage] keeps its correlation id. */
    private val last = AtomicReference<PageCursor?>()

    override fun subscribe(subscriber: JavaFlow.Subscriber<in DataverseRecord>) =
        deferred { pager().records() }.asPublisher(Dispatchers.Default).subscribe(subscriber)

    override fun byPage(): JavaFlow.Publisher<Page> = deferred { pager().pages() }.asPublisher(Dispatchers.Default)

    override fun byPage(continuationToken: String): JavaFlow.Publisher<Page> =
        deferred { pager().pages(requireToken(continuationToken)) }.asPublisher(Dispatchers.Default)

    override fun firstPage(): CompletableFuture<Page> = client.future { advance(pager().cursor(null)) }

    override fun nextPage(continuationToken: String): CompletableFuture<Page> = client.future {
        val token = requireToken(continuationToken)
        val previous = last.get()
        // Continue the cursor that issued the token (one listing, one correlation id) if no one else took it meanwhile.
        val cursor = previous?.takeIf { it.continuationToken == token && last.compareAndSet(it, null) } ?: pager().cursor(token)
        advance(cursor)
    }

    private suspend fun advance(cursor: PageCursor): Page = cursor.next().also { if (cursor.hasNext) last.set(cursor) }

    override fun toString(): String = "PagedPublisher"
}

/** A flow whose creation runs when it is collected, so that its errors reach the collector. */
private fun <T> deferred(create: () -> Flow<T>): Flow<T> = flow { emitAll(create()) }

private fun requireToken(token: String?): String {
    if (token == null) throw NullPointerException("'continuationToken' cannot be null.")
    if (token.isBlank()) throw InvalidInputException("'continuationToken' cannot be blank.")
    return token
}

/**
 * Pages of one [cursor], each fetched by a blocking call when [hasNext] needs it. A failed fetch leaves the position
 * unchanged: calling [hasNext] again retries the same page.
 */
internal class PageIterator(private val cursor: PageCursor) : Iterator<Page> {
    private var buffered: Page? = null
    private var closed = false

    override fun hasNext(): Boolean {
        if (buffered == null && !closed && cursor.hasNext) buffered = blocking { cursor.next() }
        return buffered != null
    }

    override fun next(): Page {
        if (!hasNext()) throw NoSuchElementException("No more pages.")
        return buffered!!.also { buffered = null }
    }

    /** Ends the iteration: no further page is fetched. */
    fun close() {
        closed = true
        buffered = null
    }
}

/** The records of [pages], fetching a page when the previous one is used up. */
internal class RecordIterator(private val pages: PageIterator) : Iterator<DataverseRecord> {
    private var current: Iterator<DataverseRecord> = emptyList<DataverseRecord>().iterator()

    override fun hasNext(): Boolean {
        while (!current.hasNext()) {
            if (!pages.hasNext()) return false
            current = pages.next().records.iterator()
        }
        return true
    }

    override fun next(): DataverseRecord {
        if (!hasNext()) throw NoSuchElementException("No more records.")
        return current.next()
    }

    fun close() {
        pages.close()
        current = emptyList<DataverseRecord>().iterator()
    }
}

/** A sequential, ordered stream over [iterator] whose `close()` runs [onClose]. */
internal fun <T : Any> lazyStream(iterator: Iterator<T>, onClose: () -> Unit): Stream<T> =
    StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED or Spliterator.NONNULL), false)
        .onClose(onClose)
