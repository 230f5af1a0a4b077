package dev.dataverse.java

import dev.dataverse.Change
import dev.dataverse.ChangePage
import java.util.stream.Stream

/**
 * The changes of a table for blocking code ([BlockingRecords.changes]): iterate the changes, or the pages with their
 * continuation and delta tokens, or resume a run from a persisted continuation token. The same contract as
 * [PagedIterable] (lazy, one page at a time on the iterating thread, each iteration a new run under its own correlation
 * id); the run's delta token is on its last page.
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
 * As for [PagedIterable], thrown from `Iterator.hasNext()`: [dev.dataverse.DeltaTokenExpiredException] when a token has
 * expired (run a full sync: options without a delta token), [dev.dataverse.BadRequestException] with code `0x80072491`
 * when the table's change tracking is off, [dev.dataverse.InvalidInputException] for a continuation token that is not
 * a page of this table, before anything is sent.
 */
@Suppress("PLATFORM_CLASS_MAPPED_TO_KOTLIN")
public interface ChangeIterable : java.lang.Iterable<Change> {
    // java.lang.Iterable, not Kotlin's Iterable: that one compiles to an interface that also extends Kotlin's
    // KMappedMarker, which Java code would see. Kotlin code iterates this one the same (`for (item in listing)`).

    /** A new run over the changes of all pages; it sends the first request when `hasNext()` is first called. */
    override fun iterator(): Iterator<Change>

    /** The changes as a sequential, lazy [Stream]; close it (try-with-resources) to end the run early. */
    public fun stream(): Stream<Change>

    /** The pages, from the first; each iteration is a new run. */
    public fun iterableByPage(): Iterable<ChangePage>

    /** The pages after the one whose [ChangePage.continuationToken] is [continuationToken], checked before anything is sent. */
    public fun iterableByPage(continuationToken: String): Iterable<ChangePage>

    /** The pages as a lazy [Stream], from the first; closing it ends the run. */
    public fun streamByPage(): Stream<ChangePage>

    /** The pages as a lazy [Stream], from the page [continuationToken] designates; see [iterableByPage]. */
    public fun streamByPage(continuationToken: String): Stream<ChangePage>
}
