package dev.dataverse.java

import dev.dataverse.ContinuablePage
import java.util.stream.Stream

/**
 * Any listing of the blocking client, whatever its pages hold: the items of type [T] of pages of type [P]. In the Azure
 * SDK's style (`PagedIterableBase<T, P>` with `PagedIterable<T>`), one contract and one implementation serve every
 * listing: [PagedIterable] (records of a table, FetchXML, SQL: pages of [dev.dataverse.Page]) and [ChangeIterable]
 * (changes of a table: pages of [dev.dataverse.ChangePage]) are sub-interfaces that only fix the two types, so existing
 * code that names them compiles and links unchanged, and code that pages any listing (checkpoint, resume, count) can be
 * written once against this type:
 *
 * ```java
 * <T, P extends ContinuablePage<T>> String drain(PagedIterableBase<T, P> listing, String checkpoint, Consumer<T> sink) {
 *     String last = checkpoint;
 *     for (P page : checkpoint == null ? listing.iterableByPage() : listing.iterableByPage(checkpoint)) {
 *         page.getItems().forEach(sink);
 *         if (page.getContinuationToken() != null) last = page.getContinuationToken();
 *     }
 *     return last;
 * }
 * ```
 *
 * ## Laziness and closing
 * Nothing is sent until an iteration asks for its first element. Each page is then fetched by a blocking call on the
 * iterating thread when the iteration needs it — the first item of the page, or the page itself — and nothing runs in
 * the background, before, between or after pages. Every iteration ([iterator], [stream], each iteration of
 * [iterableByPage]) runs the listing anew as one operation, with its own `x-ms-correlation-id` shared by all its
 * requests. The operation ends (for telemetry: its span ends) when the last page has been fetched, when a stream is
 * closed, or, for an iteration dropped half-way or a stream limited and never closed, once the garbage collector finds
 * it unreachable; after that nothing more is sent.
 *
 * ## Errors
 * A page that cannot be fetched throws its [dev.dataverse.DataverseException] from `Iterator.hasNext()` (and so from
 * the stream operation or for-each loop that needed it); the iterator stays where it was, so calling `hasNext()` again
 * retries that page. An invalid continuation token throws [dev.dataverse.InvalidInputException] from the first
 * `hasNext()`, before anything is sent (a `null` one: `NullPointerException` at once). Interrupting a thread blocked in
 * a fetch cancels the request and throws [java.util.concurrent.CancellationException]. Iterators and streams are not
 * thread-safe; this object is, and can be iterated by several threads at once.
 */
@Suppress("PLATFORM_CLASS_MAPPED_TO_KOTLIN")
public interface PagedIterableBase<T : Any, P : ContinuablePage<T>> : java.lang.Iterable<T> {
    // java.lang.Iterable, not Kotlin's Iterable: that one compiles to an interface that also extends Kotlin's
    // KMappedMarker, which Java code would see. Kotlin code iterates this one the same (`for (item in listing)`).

    /** A new iteration over the items of all pages; it sends the first request when `hasNext()` is first called. */
    override fun iterator(): Iterator<T>

    /**
     * The items as a sequential, lazy [Stream]: a page is fetched only when the stream's operation needs its first
     * item, so short-circuiting operations (`limit`, `findFirst`, `anyMatch`) stop fetching. Closing the stream
     * (try-with-resources) ends the listing; nothing is fetched after it.
     */
    public fun stream(): Stream<T>

    /** The pages, from the first; each iteration runs the listing anew. */
    public fun iterableByPage(): Iterable<P>

    /**
     * The pages from the one [continuationToken] designates: the [ContinuablePage.continuationToken] of a page of the
     * same listing, from a client of the same environment. The token is checked when the iteration starts, before
     * anything is sent.
     */
    public fun iterableByPage(continuationToken: String): Iterable<P>

    /** The pages as a lazy [Stream], from the first; closing it ends the listing. */
    public fun streamByPage(): Stream<P>

    /** The pages as a lazy [Stream], from the page [continuationToken] designates; see [iterableByPage]. */
    public fun streamByPage(continuationToken: String): Stream<P>
}
