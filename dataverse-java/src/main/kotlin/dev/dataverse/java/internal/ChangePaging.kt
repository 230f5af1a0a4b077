package dev.dataverse.java.internal

import dev.dataverse.Change
import dev.dataverse.ChangePage
import dev.dataverse.ChangePager
import dev.dataverse.java.ChangeIterable
import dev.dataverse.java.ChangePublisher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.jdk9.asPublisher
import java.util.concurrent.CompletableFuture
import java.util.stream.Stream
import java.util.concurrent.Flow as JavaFlow

/** [ChangeIterable] over the core's change pager, with the same page iterators as [BlockingPaged]. */
internal class BlockingChanges(private val pager: ChangePager) : ChangeIterable {
    override fun iterator(): Iterator<Change> = ItemIterator(pages(null)) { it.changes }

    override fun stream(): Stream<Change> = ItemIterator(pages(null)) { it.changes }.let { lazyStream(it, it::close) }

    override fun iterableByPage(): Iterable<ChangePage> = Iterable { pages(null) }

    override fun iterableByPage(continuationToken: String): Iterable<ChangePage> {
        val token = requireToken(continuationToken)
        return Iterable { pages(token) }
    }

    override fun streamByPage(): Stream<ChangePage> = pages(null).let { lazyStream(it, it::close) }

    override fun streamByPage(continuationToken: String): Stream<ChangePage> =
        pages(requireToken(continuationToken)).let { lazyStream(it, it::close) }

    private fun pages(token: String?): PageIterator<ChangePage> =
        pager.cursor(token).let { cursor -> PageIterator({ cursor.hasNext }) { cursor.next() } }

    override fun toString(): String = "ChangeIterable($pager)"
}

/** [ChangePublisher] over the core's change pager, with the same publishers and page futures as [AsyncPaged]. */
internal class AsyncChanges(client: SharedClient, private val pager: () -> ChangePager) : ChangePublisher {
    private val futures = PageFutures(client, { token -> pager().cursor(token).let { CursorSteps(it::hasNext, it::continuationToken, it::next) } })

    override fun subscribe(subscriber: JavaFlow.Subscriber<in Change>) =
        deferred { pager().changes() }.asPublisher(Dispatchers.Default).subscribe(subscriber)

    override fun byPage(): JavaFlow.Publisher<ChangePage> = deferred { pager().pages() }.asPublisher(Dispatchers.Default)

    override fun byPage(continuationToken: String): JavaFlow.Publisher<ChangePage> =
        deferred { pager().pages(requireToken(continuationToken)) }.asPublisher(Dispatchers.Default)

    override fun firstPage(): CompletableFuture<ChangePage> = futures.first()

    override fun nextPage(continuationToken: String): CompletableFuture<ChangePage> = futures.next(continuationToken)

    override fun toString(): String = "ChangePublisher"
}
