package dev.dataverse.java

import dev.dataverse.DataverseRecord
import dev.dataverse.Page
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow

/**
 * A listing for asynchronous code — the records of a table, a FetchXML or a SQL query — in the style of the Azure SDK's
 * `PagedFlux`: a [Flow.Publisher] of records, a publisher of pages ([byPage]), and pages one future at a time
 * ([firstPage], [nextPage]) for code that pages by hand, e.g. across the HTTP requests of a web application.
 *
 * ```java
 * PagedPublisher accounts = client.records().list("account", ListOptions.builder().pageSize(500).build());
 * accounts.subscribe(subscriber);                                   // records, with back-pressure
 * accounts.byPage().subscribe(pageSubscriber);                      // pages
 *
 * CompletableFuture<Void> all = accounts.firstPage().thenCompose(page -> forEachPage(accounts, page));
 * CompletableFuture<Void> forEachPage(PagedPublisher listing, Page page) {
 *     process(page.getRecords());
 *     return page.hasNext()
 *         ? listing.nextPage(page.getContinuationToken()).thenCompose(next -> forEachPage(listing, next))
 *         : CompletableFuture.completedFuture(null);
 * }
 * ```
 *
 * ## Laziness and cancellation
 * Nothing is sent until a subscriber requests an element or a page future is asked for. A publisher fetches a page only
 * when the subscriber's outstanding demand needs it (the first record of the page, or the page itself), never ahead of
 * it. Cancelling the subscription cancels the page request in flight and fetches nothing more; a subscription whose
 * demand is met sends nothing until more is requested, so an abandoned one holds no thread and sends nothing. Each
 * subscription runs the listing anew under one `x-ms-correlation-id`; [nextPage] keeps the correlation id of the page
 * future that issued the token when called on the same object.
 *
 * ## Errors
 * Failures, invalid input included, reach `onError` (publishers) or fail the future; nothing is thrown by these
 * methods. `onNext`, `onError`, `onComplete` and future completions run on the library's worker threads: do not block in
 * them.
 */
public interface PagedPublisher : Flow.Publisher<DataverseRecord> {
    /** Subscribes to the records of all pages; each subscription runs the listing anew. */
    override fun subscribe(subscriber: Flow.Subscriber<in DataverseRecord>)

    /** The pages as a publisher, from the first. */
    public fun byPage(): Flow.Publisher<Page>

    /** The pages as a publisher, from the page [continuationToken] designates (a token of the same listing). */
    public fun byPage(continuationToken: String): Flow.Publisher<Page>

    /** Fetches the first page. Cancelling the future cancels its request. */
    public fun firstPage(): CompletableFuture<Page>

    /**
     * Fetches the page [continuationToken] designates: the [Page.continuationToken] of a page of the same listing (from
     * this object or, e.g. after a restart, from another with the same query). Fails with
     * [dev.dataverse.InvalidInputException] for a token that is not one of this listing's, before anything is sent.
     */
    public fun nextPage(continuationToken: String): CompletableFuture<Page>
}
