package dev.dataverse.java

import dev.dataverse.Change
import dev.dataverse.ChangePage
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow

/**
 * The changes of a table for asynchronous code ([AsyncRecords.changes]): a [Flow.Publisher] of changes, a publisher of
 * pages ([byPage]) and pages one future at a time ([firstPage], [nextPage]), with the same laziness, cancellation and
 * error rules as [PagedPublisher]. The run's delta token is on its last page ([ChangePage.getDeltaToken]).
 *
 * ```java
 * ChangePublisher changes = client.records().changes("account", ChangeTrackingOptions.builder().deltaToken(saved).build());
 * CompletableFuture<String> nextToken = changes.firstPage().thenCompose(page -> applyAll(changes, page));
 * CompletableFuture<String> applyAll(ChangePublisher run, ChangePage page) {
 *     apply(page.getChanges());
 *     return page.hasNext()
 *         ? run.nextPage(page.getContinuationToken()).thenCompose(next -> applyAll(run, next))
 *         : CompletableFuture.completedFuture(page.getDeltaToken());
 * }
 * ```
 */
public interface ChangePublisher : Flow.Publisher<Change> {
    /** Subscribes to the changes of all pages; each subscription is a new run. */
    override fun subscribe(subscriber: Flow.Subscriber<in Change>)

    /** The pages as a publisher, from the first. */
    public fun byPage(): Flow.Publisher<ChangePage>

    /** The pages as a publisher, from the page [continuationToken] designates (a token of the same run). */
    public fun byPage(continuationToken: String): Flow.Publisher<ChangePage>

    /** Fetches the first page. Cancelling the future cancels its request. */
    public fun firstPage(): CompletableFuture<ChangePage>

    /**
     * Fetches the page [continuationToken] designates: the [ChangePage.getContinuationToken] of a page of the same run
     * (from this object or, after a restart, from another for the same table and options). Fails with
     * [dev.dataverse.InvalidInputException] for a token that is not one of this table's, before anything is sent.
     */
    public fun nextPage(continuationToken: String): CompletableFuture<ChangePage>
}
