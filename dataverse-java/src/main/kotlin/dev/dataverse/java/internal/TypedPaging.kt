package dev.dataverse.java.internal

import dev.dataverse.Pager
import dev.dataverse.java.PagedIterable
import dev.dataverse.java.PagedPublisher
import dev.dataverse.java.TypedPage
import dev.dataverse.java.TypedPagedIterable
import dev.dataverse.java.TypedPagedPublisher
import dev.dataverse.model.TableModel
import kotlinx.coroutines.flow.map

/** The steps of a core page cursor, each page converted by [model] as it arrives. */
private fun <T : Any> typedSteps(pager: Pager, model: TableModel<T>, token: String?): CursorSteps<TypedPage<T>> =
    pager.cursor(token).let { cursor -> CursorSteps(cursor::hasNext, cursor::continuationToken, { TypedPage(cursor.next(), model) }, cursor::close) }

/** [TypedPagedIterable] over the core's one pager, with the same page iterators as [BlockingPaged]. */
internal class BlockingTypedPaged<T : Any>(private val pager: Pager, private val model: TableModel<T>) :
    BlockingPages<T, TypedPage<T>>({ token -> typedSteps(pager, model, token) }),
    TypedPagedIterable<T> {
    override fun untyped(): PagedIterable = BlockingPaged(pager)

    override fun toString(): String = "TypedPagedIterable(${model.logicalName})"
}

/** [TypedPagedPublisher] over the core's one pager, with the same publishers and page futures as [AsyncPaged]. */
internal class AsyncTypedPaged<T : Any>(private val client: SharedClient, private val pager: () -> Pager, private val model: TableModel<T>) :
    AsyncPages<T, TypedPage<T>>(
        client,
        { token -> pager().pages(token).map { TypedPage(it, model) } },
        { pager().records().map(model::fromRecord) },
        { token -> typedSteps(pager(), model, token) },
    ),
    TypedPagedPublisher<T> {
    override fun untyped(): PagedPublisher = AsyncPaged(client, pager)

    override fun toString(): String = "TypedPagedPublisher(${model.logicalName})"
}
