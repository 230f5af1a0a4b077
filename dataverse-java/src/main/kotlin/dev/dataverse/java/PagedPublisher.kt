package dev.dataverse.java

import dev.dataverse.DataverseRecord
import dev.dataverse.Page

/**
 * A listing for asynchronous code — the records of a table, a FetchXML or a SQL query — in the style of the Azure SDK's
 * `PagedFlux`: a [java.util.concurrent.Flow.Publisher] of records, a publisher of pages ([byPage]), and pages one future at a time
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
 * All listings share one contract, [PagedPublisherBase] (laziness, cancellation, errors, threads): this interface fixes
 * its types to records and pages of [Page] and declares nothing of its own, so code written against it before the
 * generic base existed compiles and links unchanged.
 */
public interface PagedPublisher : PagedPublisherBase<DataverseRecord, Page>
