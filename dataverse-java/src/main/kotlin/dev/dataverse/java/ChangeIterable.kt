package dev.dataverse.java

import dev.dataverse.Change
import dev.dataverse.ChangePage

/**
 * The changes of a table for blocking code ([BlockingRecords.changes]): iterate the changes, or the pages with their
 * continuation and delta tokens, or resume a run from a persisted continuation token. The contract of every
 * listing, [PagedIterableBase] (lazy, one page at a time on the iterating thread, each iteration a new run under its
 * own correlation id, ended with its last page or when closed), with its types fixed to changes and pages of
 * [ChangePage]; the run's delta token is on its last page.
 *
 * ```java
 * ChangeIterable changes = client.records().changes("account",
 *         ChangeTrackingOptions.builder().select("name").deltaToken(store.deltaToken()).build());
 * for (ChangePage page : changes.iterableByPage()) {
 *     for (Change change : page.getChanges()) {
 *         if (change.isDeleted()) mirror.delete(change.getId());
 *         else mirror.upsert(change.getId(), change.getRecord());
 *     }
 *     store.save(page.getContinuationToken(), page.getDeltaToken());   // one of them is set
 * }
 * changes.iterableByPage(store.continuationToken()).forEach(...);        // resume a run after a crash
 * ```
 *
 * ## Errors
 * As for every [PagedIterableBase], thrown from `Iterator.hasNext()`: [dev.dataverse.DeltaTokenExpiredException] when a token has
 * expired (run a full sync: options without a delta token), [dev.dataverse.BadRequestException] with code `0x80072491`
 * when the table's change tracking is off, [dev.dataverse.InvalidInputException] for a continuation token that is not
 * a page of this table, before anything is sent.
 */
public interface ChangeIterable : PagedIterableBase<Change, ChangePage>
