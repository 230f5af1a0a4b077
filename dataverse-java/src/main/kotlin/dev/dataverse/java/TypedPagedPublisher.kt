package dev.dataverse.java

/**
 * A typed listing for asynchronous code ([AsyncTypedTable.list]): a [java.util.concurrent.Flow.Publisher] of the
 * records of a table converted to [T] by its model, with the contract of [PagedPublisherBase] (laziness, cancellation,
 * errors, threads) and its one implementation, with its types fixed to instances of [T] and pages of [TypedPage]:
 * subscribe to the instances or the pages ([byPage]), or fetch pages one future at a time ([firstPage], [nextPage]).
 *
 * ```java
 * TypedPagedPublisher<Account> accounts = asyncClient.records().typed(Account.MODEL).list(null);
 * accounts.subscribe(subscriber);                                   // instances, with back-pressure
 * accounts.firstPage().thenAccept(page -> show(page.getItems(), page.getContinuationToken()));
 * ```
 */
public interface TypedPagedPublisher<T : Any> : PagedPublisherBase<T, TypedPage<T>> {
    /**
     * The untyped listing of the same query, with pages of [dev.dataverse.Page]; its continuation tokens and this
     * listing's are interchangeable.
     */
    public fun untyped(): PagedPublisher
}
