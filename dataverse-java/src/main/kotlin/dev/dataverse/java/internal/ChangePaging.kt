package dev.dataverse.java.internal

import dev.dataverse.Change
import dev.dataverse.ChangePage
import dev.dataverse.ChangePager
import dev.dataverse.java.ChangeIterable
import dev.dataverse.java.ChangePublisher

/** The steps of a core change cursor. */
private fun steps(pager: ChangePager, token: String?): CursorSteps<ChangePage> =
    pager.cursor(token).let { CursorSteps(it::hasNext, it::continuationToken, it::next, it::close) }

/** [ChangeIterable] over the core's change pager, with the same page iterators as [BlockingPaged]. */
internal class BlockingChanges(private val pager: ChangePager) :
    BlockingPages<Change, ChangePage>({ token -> steps(pager, token) }),
    ChangeIterable {
    override fun toString(): String = "ChangeIterable($pager)"
}

/** [ChangePublisher] over the core's change pager, with the same publishers and page futures as [AsyncPaged]. */
internal class AsyncChanges(client: SharedClient, pager: () -> ChangePager) :
    AsyncPages<Change, ChangePage>(client, { token -> pager().pages(token) }, { pager().changes() }, { token -> steps(pager(), token) }),
    ChangePublisher {
    override fun toString(): String = "ChangePublisher"
}
