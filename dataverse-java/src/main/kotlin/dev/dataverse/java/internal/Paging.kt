package dev.dataverse.java.internal

import dev.dataverse.ContinuablePage
import dev.dataverse.DataverseRecord
import dev.dataverse.InvalidInputException
import dev.dataverse.Page
import dev.dataverse.Pager
import dev.dataverse.java.PagedIterable
import dev.dataverse.java.PagedIterableBase
import dev.dataverse.java.PagedPublisher
import dev.dataverse.java.PagedPublisherBase
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
 * The one implementation of [PagedIterableBase], for any listing whatever its pages hold (records, changes): each
 * iteration is a core cursor ([cursor] from a token) advanced by blocking calls on the iterating thread, so nothing
 * runs between pages and there is nothing to stop when an iteration is dropped. The cursor's operation ends with the last
 * page, when a stream is closed, or — an iteration dropped half-way, a stream limited and never closed — when the
 * garbage collector finds the cursor unreachable (the core's cursors see to that).
 */
internal abstract class BlockingPages<T : Any, P : ContinuablePage<T>>(private val cursor: (String?) -> CursorSteps<P>) : PagedIterableBase<T, P> {
    override fun iterator(): Iterator<T> = ItemIterator(pages(null))

    override fun stream(): Stream<T> = ItemIterator(pages(null)).let { lazyStream(it, it::close) }

    override fun iterableByPage(): Iterable<P> = Iterable { pages(null) }

    override fun iterableByPage(continuationToken: String): Iterable<P> {
        val token = requireToken(continuationToken)
        return Iterable { pages(token) }
    }

    override fun streamByPage(): Stream<P> = pages(null).let { lazyStream(it, it::close) }

    override fun streamByPage(continuationToken: String): Stream<P> = pages(requireToken(continuationToken)).let { lazyStream(it, it::close) }

    private fun pages(token: String?): PageIterator<P> = PageIterator(cursor(token))
}

/** [PagedIterable] over the core's one pager. */
internal class BlockingPaged(private val pager: Pager) :
    BlockingPages<DataverseRecord, Page>({ token -> pager.cursor(token).let { CursorSteps(it::hasNext, it::continuationToken, it::next, it::close) } }),
    PagedIterable {
    override fun toString(): String = "PagedIterable($pager)"
}

/**
 * The one implementation of [PagedPublisherBase], for any listing of the core's one pager: publishers of items and
 * pages, and page futures.
 * [pages] and [items] are called for each use, so that an invalid argument (a table name) reaches `onError` or the
 * future rather than the caller. Publishers are `kotlinx-coroutines-jdk9`'s `asPublisher`, which collects only while the
 * subscriber has demand and suspends in between: no page is fetched ahead.
 */
internal abstract class AsyncPages<T : Any, P : ContinuablePage<T>>(
    client: SharedClient,
    private val pages: (String?) -> Flow<P>,
    private val items: () -> Flow<T>,
    cursor: (String?) -> CursorSteps<P>,
) : PagedPublisherBase<T, P> {
    private val futures = PageFutures(client, cursor)

    override fun subscribe(subscriber: JavaFlow.Subscriber<in T>) = deferred(items).asPublisher(Dispatchers.Default).subscribe(subscriber)

    override fun byPage(): JavaFlow.Publisher<P> = deferred { pages(null) }.asPublisher(Dispatchers.Default)

    override fun byPage(continuationToken: String): JavaFlow.Publisher<P> =
        deferred { pages(requireToken(continuationToken)) }.asPublisher(Dispatchers.Default)

    override fun firstPage(): CompletableFuture<P> = futures.first()

    override fun nextPage(continuationToken: String): CompletableFuture<P> = futures.next(continuationToken)
}

/** [PagedPublisher] over the core's one pager. */
internal class AsyncPaged(client: SharedClient, pager: () -> Pager) :
    AsyncPages<DataverseRecord, Page>(
        client, { token -> pager().pages(token) }, { pager().records() },
        { token -> pager().cursor(token).let { CursorSteps(it::hasNext, it::continuationToken, it::next, it::close) } },
    ),
    PagedPublisher {
    override fun toString(): String = "PagedPublisher"
}

/** One cursor of the core, whatever its page type: [PageCursor] or [dev.dataverse.ChangeCursor]. */
internal class CursorSteps<P : Any>(
    val hasNext: () -> Boolean,
    val continuationToken: () -> String?,
    val next: suspend () -> P,
    /** Ends the cursor's operation (see [PageCursor.close]). */
    val close: () -> Unit,
)

/**
 * Page futures of a listing for [PagedPublisher.firstPage]/[PagedPublisher.nextPage] and their change-listing twins. Each
 * future is one operation, ended when its page arrives (the cursor is closed), since nothing says a caller will ask for
 * the next page. The cursor of the last page future is kept with the token it would continue from, so that [next] with
 * that token keeps the listing's correlation id. [cursor] is called per use, so that an invalid argument fails the
 * future, not the caller.
 */
internal class PageFutures<P : Any>(private val client: SharedClient, private val cursor: (String?) -> CursorSteps<P>) {
    private val last = AtomicReference<CursorSteps<P>?>()

    fun first(): CompletableFuture<P> = client.future { advance(cursor(null)) }

    fun next(continuationToken: String): CompletableFuture<P> = client.future {
        val token = requireToken(continuationToken)
        val previous = last.get()
        // Continue the cursor that issued the token (one listing, one correlation id) if no one else took it meanwhile.
        val steps = previous?.takeIf { it.continuationToken() == token && last.compareAndSet(it, null) } ?: cursor(token)
        advance(steps)
    }

    private suspend fun advance(steps: CursorSteps<P>): P {
        val page = try {
            steps.next()
        } finally {
            steps.close()
        }
        if (steps.hasNext()) last.set(steps)
        return page
    }
}

/** A flow whose creation runs when it is collected, so that its errors reach the collector. */
internal fun <T> deferred(create: () -> Flow<T>): Flow<T> = flow { emitAll(create()) }

internal fun requireToken(token: String?): String {
    if (token == null) throw NullPointerException("'continuationToken' cannot be null.")
    if (token.isBlank()) throw InvalidInputException("'continuationToken' cannot be blank.")
    return token
}

/**
 * Pages of one cursor, each fetched by a blocking call of its `next` when [hasNext] needs it, while the cursor has pages
 * left. A failed fetch leaves the position unchanged: calling [hasNext] again retries the same page.
 */
internal class PageIterator<P : Any>(private val cursor: CursorSteps<P>) : Iterator<P> {
    private var buffered: P? = null
    private var closed = false

    override fun hasNext(): Boolean {
        if (buffered == null && !closed && cursor.hasNext()) buffered = blocking { cursor.next() }
        return buffered != null
    }

    override fun next(): P {
        if (!hasNext()) throw NoSuchElementException("No more pages.")
        return buffered!!.also { buffered = null }
    }

    /** Ends the iteration and the cursor's operation: no further page is fetched. */
    fun close() {
        closed = true
        buffered = null
        cursor.close()
    }
}

/** The items (records, changes) of [pages], fetching a page when the previous one is used up. */
internal class ItemIterator<T, P : ContinuablePage<T>>(private val pages: PageIterator<P>) : Iterator<T> {
    private var current: Iterator<T> = emptyList<T>().iterator()

    override fun hasNext(): Boolean {
        while (!current.hasNext()) {
            if (!pages.hasNext()) return false
            current = pages.next().items.iterator()
        }
        return true
    }

    override fun next(): T {
        if (!hasNext()) throw NoSuchElementException("No more items.")
        return current.next()
    }

    fun close() {
        pages.close()
        current = emptyList<T>().iterator()
    }
}

/** A sequential, ordered stream over [iterator] whose `close()` runs [onClose]. */
internal fun <T : Any> lazyStream(iterator: Iterator<T>, onClose: () -> Unit): Stream<T> =
    StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED or Spliterator.NONNULL), false)
        .onClose(onClose)
