package dev.dataverse.java

import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import dev.dataverse.java.internal.PageIterator
import dev.dataverse.java.internal.PageSource
import dev.dataverse.java.internal.RecordIterator
import dev.dataverse.java.internal.lazyStream
import java.util.stream.Stream

/**
 * The pages of a query, fetched lazily: each page is requested when the iteration reaches it, by a blocking call on the
 * iterating thread, and nothing runs in the background between pages. Returned by [BlockingRecords.listPages].
 *
 * Every [iterator] (and every [stream]) runs the query anew from its start: the first page, or the page of the
 * continuation token given to [startingAt].
 *
 * ```java
 * for (Page page : records.listPages("account", ListOptions.builder().pageSize(500).build())) {
 *     process(page.getRecords());
 *     saveCheckpoint(page.getContinuationToken());     // null on the last page
 * }
 * // Later, resume after the checkpoint:
 * records.listPages("account", options).startingAt(checkpoint).forEach(page -> process(page.getRecords()));
 * ```
 *
 * ## Errors
 * A page that cannot be fetched throws its [dev.dataverse.DataverseException] from `Iterator.hasNext()` (and so from the
 * stream operation that needed it); the iterator stays where it was, so calling `hasNext()` again retries that page.
 * Iterators and streams are not thread-safe; the iterable itself is, and can be iterated by several threads at once.
 */
public class PageIterable internal constructor(private val source: PageSource, private val start: String?) : Iterable<Page> {

    /** A new iteration over the pages; it sends the first request when `hasNext()` is first called. */
    override fun iterator(): Iterator<Page> = PageIterator(source, start)

    /**
     * The pages as a sequential, lazy [Stream]: a page is fetched only when the stream's operation needs it, so
     * short-circuiting operations (`limit`, `findFirst`, `anyMatch`) stop fetching. Closing the stream ends the
     * iteration: no further page is fetched.
     */
    public fun stream(): Stream<Page> = PageIterator(source, start).let { pages -> lazyStream(pages, pages::close) }

    /**
     * The same query resumed at the page that [continuationToken] designates: the [Page.continuationToken] of a page of
     * this query, from a client of the same environment. Nothing is sent until iteration starts, which is when the token
     * is checked (see [BlockingRecords.page]).
     */
    public fun startingAt(continuationToken: String): PageIterable = PageIterable(source, continuationToken)

    /** The records of all pages, one page fetched at a time; see [BlockingRecords.list]. */
    internal fun records(): Stream<DataverseRecord> =
        RecordIterator(PageIterator(source, start)).let { records -> lazyStream(records, records::close) }

    override fun toString(): String = "PageIterable(${if (start == null) "from the first page" else "from a continuation token"})"
}
