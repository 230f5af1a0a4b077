package dev.dataverse

/**
 * One page of any listing of the client: its [items] and the token of the page after it. [Page] (records of a table,
 * FetchXML or SQL) and [ChangePage] (changes of a table) are the pages there are; code that pages through any listing the
 * same way — persist a checkpoint, resume from it, count items — can be written once against this type, as the Java
 * facades' generic pagers are (in the spirit of the Azure SDK's `ContinuablePage`).
 *
 * Each page type keeps its own names for the same things ([Page.records], [ChangePage.changes]) and adds what only it
 * has ([Page.totalCount], [ChangePage.deltaToken]).
 */
public interface ContinuablePage<out T> {
    /** The items of this page, in the service's order. */
    public val items: List<T>

    /**
     * Opaque token of the next page of the same listing; `null` on the last page. Valid only for the client's own
     * environment and the same listing.
     */
    public val continuationToken: String?
}
