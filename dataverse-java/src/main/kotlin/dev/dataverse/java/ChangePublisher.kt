package dev.dataverse.java

import dev.dataverse.Change
import dev.dataverse.ChangePage

/**
 * The changes of a table for asynchronous code ([AsyncRecords.changes]): a [Flow.Publisher] of changes, a publisher of
 * pages ([byPage]) and pages one future at a time ([firstPage], [nextPage]), with the laziness, cancellation and
 * error rules of every listing ([PagedPublisherBase], whose types this interface fixes to changes and pages of
 * [ChangePage]). The run's delta token is on its last page ([ChangePage.getDeltaToken]).
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
public interface ChangePublisher : PagedPublisherBase<Change, ChangePage>
