package dev.dataverse.java.internal

import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import java.util.Spliterator
import java.util.Spliterators
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** Fetches one page with a blocking call: the first for a `null` token, else the page the token designates. */
internal fun interface PageSource {
    fun fetch(continuationToken: String?): Page
}

/**
 * Pages fetched one blocking call at a time: the next page is requested only when [hasNext] needs it, so nothing runs
 * between pages and an abandoned iteration costs nothing. A failed fetch leaves the position unchanged: calling [hasNext]
 * again retries the same page.
 */
internal class PageIterator(private val source: PageSource, start: String?) : Iterator<Page> {
    private var token: String? = start
    private var buffered: Page? = null
    private var finished = false

    override fun hasNext(): Boolean {
        if (buffered == null && !finished) {
            val page = source.fetch(token)
            token = page.continuationToken
            finished = token == null
            buffered = page
        }
        return buffered != null
    }

    override fun next(): Page {
        if (!hasNext()) throw NoSuchElementException("No more pages.")
        return buffered!!.also { buffered = null }
    }

    /** Ends the iteration: no further page is fetched. */
    fun close() {
        finished = true
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
