package dev.dataverse.java

import dev.dataverse.ContinuablePage
import dev.dataverse.Page
import dev.dataverse.model.TableModel

/**
 * One page of a typed listing ([TypedPagedIterable], [TypedPagedPublisher]): the records of a [Page] converted to [T]
 * by the table's model, with the page's continuation token and count. Its token is the untyped page's, so a checkpoint
 * taken from a typed page resumes the untyped listing of the same query and the other way round.
 */
public class TypedPage<T : Any> private constructor(
    /** The instances of this page, in the service's order. */
    override val items: List<T>,
    /** Opaque token of the next page of the same listing; `null` on the last page. */
    override val continuationToken: String?,
    /** The total number of matching rows when [dev.dataverse.ListOptions.count] was asked for; see [Page.totalCount]. */
    public val totalCount: Long?,
    /** `true` when the service reports more matching rows than [totalCount] can show; see [Page.totalCountLimitExceeded]. */
    public val totalCountLimitExceeded: Boolean,
) : ContinuablePage<T> {
    /** Whether a next page exists. */
    @get:JvmName("hasNext")
    public val hasNext: Boolean get() = continuationToken != null

    override fun toString(): String =
        "TypedPage(items=${items.size}, hasNext=$hasNext" + (totalCount?.let { ", totalCount=$it" } ?: "") + ")"

    internal companion object {
        /** [page] with its records converted by [model]: all of them as the page is fetched, so a record [model] cannot read fails that page. */
        @JvmSynthetic
        internal operator fun <T : Any> invoke(page: Page, model: TableModel<T>): TypedPage<T> =
            TypedPage(page.records.map(model::fromRecord), page.continuationToken, page.totalCount, page.totalCountLimitExceeded)
    }
}
