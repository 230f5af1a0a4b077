package dev.dataverse.java

import dev.dataverse.ContinuablePage
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow

/**
 * Any listing of the asynchronous client, whatever its pages hold: a [Flow.Publisher] of the items of type [T], a
 * publisher of the pages of type [P] ([byPage]), and pages one future at a time ([firstPage], [nextPage]) for code that
 * pages by hand, e.g. across the HTTP requests of a web application. The Azure SDK's `PagedFluxBase<T, P>` in
 * `java.util.concurrent.Flow` terms: [PagedPublisher] (records: pages of [dev.dataverse.Page]) and [ChangePublisher]
 * (changes: pages of [dev.dataverse.ChangePage]) only fix the two types, and share one implementation.
 *
 * ## Laziness and cancellation
 * Nothing is sent until a subscriber requests an element or a page future is asked for. A publisher fetches a page only
 * when the subscriber's outstanding demand needs it (the first item of the page, or the page itself), never ahead of
 * it. Cancelling the subscription cancels the page request in flight and fetches nothing more; a subscription whose
 * demand is met sends nothing until more is requested, so an abandoned one holds no thread and sends nothing. Each
 * subscription runs the listing anew as one operation under one `x-ms-correlation-id`, ended with its last page or its
 * cancellation. Each page future is an operation of its own, ended when its page arrives; [nextPage] keeps the
 * correlation id of the page future that issued the token when called on the same object.
 *
 * ## Errors
 * Failures, invalid input included, reach `onError` (publishers) or fail the future; nothing is thrown by these
 * methods. `onNext`, `onError`, `onComplete` and future completions run on the library's worker threads: do not block in
 * them.
 */
public interface PagedPublisherBase<T : Any, P : ContinuablePage<T>> : Flow.Publisher<T> {
    /** Subscribes to the items of all pages; each subscription runs the listing anew. */
    override fun subscribe(subscriber: Flow.Subscriber<in T>)

    /** The pages as a publisher, from the first. */
    public fun byPage(): Flow.Publisher<P>

    /** The pages as a publisher, from the page [continuationToken] designates (a token of the same listing). */
    public fun byPage(continuationToken: String): Flow.Publisher<P>

    /** Fetches the first page. Cancelling the future cancels its request. */
    public fun firstPage(): CompletableFuture<P>

    /**
     * Fetches the page [continuationToken] designates: the [ContinuablePage.continuationToken] of a page of the same
     * listing (from this object or, e.g. after a restart, from another for the same query). Fails with
     * [dev.dataverse.InvalidInputException] for a token that is not one of this listing's, before anything is sent.
     */
    public fun nextPage(continuationToken: String): CompletableFuture<P>
}
