package dev.dataverse.java

import dev.dataverse.DataverseRecord
import dev.dataverse.Page
import java.util.stream.Stream

/**
 * A listing for blocking code — the records of a table, a FetchXML or a SQL query — in the style of the Azure SDK's
 * `PagedIterable`: iterate the records, or the pages with their continuation tokens, or resume from a token.
 *
 * ```java
 * PagedIterable accounts = client.records().list("account", ListOptions.builder().select("name").pageSize(500).build());
 * for (DataverseRecord account : accounts) {                        // records, a page fetched when needed
 *     System.out.println(account.getString("name"));
 * }
 * try (Stream<DataverseRecord> rows = accounts.stream()) {          // close it if you stop early
 *     rows.limit(10).forEach(System.out::println);
 * }
 * for (Page page : accounts.iterableByPage()) {                     // pages
 *     process(page.getRecords());
 *     saveCheckpoint(page.getContinuationToken());                  // null on the last page
 * }
 * accounts.iterableByPage(checkpoint).forEach(page -> process(page.getRecords()));   // resume after the checkpoint
 * ```
 *
 * ## Laziness
 * Nothing is sent until an iteration asks for its first element. Each page is then fetched by a blocking call on the
 * iterating thread when the iteration needs it — the first record of the page, or the page itself — and nothing runs in
 * the background, before, between or after pages: an iteration that stops early, a stream closed or abandoned, leaves
 * nothing running and sends nothing more. Every iteration (every [iterator], [stream], [iterableByPage] iteration) runs
 * the listing anew, with its own `x-ms-correlation-id` shared by all its requests.
 *
 * ## Errors
 * A page that cannot be fetched throws its [dev.dataverse.DataverseException] from `Iterator.hasNext()` (and so from
 * the stream operation or for-each loop that needed it); the iterator stays where it was, so calling `hasNext()` again
 * retries that page. An invalid continuation token throws [dev.dataverse.InvalidInputException] from the first
 * `hasNext()`, before anything is sent. Interrupting a thread blocked in a fetch cancels the request and throws
 * [java.util.concurrent.CancellationException]. Iterators and streams are not thread-safe; this object is, and can be
 * iterated by several threads at once.
 */
@Suppress("PLATFORM_CLASS_MAPPED_TO_KOTLIN")
public interface PagedIterable : java.lang.Iterable<DataverseRecord> {
    // java.lang.Iterable, not Kotlin's Iterable: that one compiles to an interface that also extends Kotlin's
    // KMappedMarker, which Java code would see. Kotlin code iterates this one the same (`for (item in listing)`).

    /** A new iteration over the records of all pages; it sends the first request when `hasNext()` is first called. */
    override fun iterator(): Iterator<DataverseRecord>

    /**
     * The records as a sequential, lazy [Stream]: a page is fetched only when the stream's operation needs its first
     * record, so short-circuiting operations (`limit`, `findFirst`, `anyMatch`) stop fetching. Closing the stream
     * (try-with-resources) ends the listing; nothing is fetched after it.
     */
    public fun stream(): Stream<DataverseRecord>

    /** The pages, from the first; each iteration runs the listing anew. */
    public fun iterableByPage(): Iterable<Page>

    /**
     * The pages from the one [continuationToken] designates: the [Page.continuationToken] of a page of the same listing,
     * from a client of the same environment. The token is checked when the iteration starts, before anything is sent.
     */
    public fun iterableByPage(continuationToken: String): Iterable<Page>

    /** The pages as a lazy [Stream], from the first; closing it ends the listing. */
    public fun streamByPage(): Stream<Page>

    /** The pages as a lazy [Stream], from the page [continuationToken] designates; see [iterableByPage]. */
    public fun streamByPage(continuationToken: String): Stream<Page>
}
