package dev.dataverse.java

import dev.dataverse.DataverseRecord
import dev.dataverse.Page

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
 * All listings share one contract, [PagedIterableBase] (laziness, closing, errors, thread safety): this interface fixes its
 * types to records and pages of [Page], and declares nothing of its own, so code written against it before the generic
 * base existed compiles and links unchanged.
 */
public interface PagedIterable : PagedIterableBase<DataverseRecord, Page>
