package dev.dataverse.internal.paging

import dev.dataverse.Change
import dev.dataverse.ChangeCursor
import dev.dataverse.ChangePage
import dev.dataverse.ChangePager
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.TableMetadataCache
import dev.dataverse.internal.protocol.ChangeTracking
import dev.dataverse.internal.protocol.QueryTokens
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.read
import dev.dataverse.internal.transport.HttpTransport
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.transform

/**
 * Pages of the changes of [table] ([ChangeTracking] has the wire format). A continuation token is a next link the
 * service issued for the table's entity set, with the fingerprint of the options ([QueryTokens]), checked like any next
 * link before it is sent, so a token passed through an application's users can never make the client read something
 * else with its credentials, and a token used with other options is refused instead of reading the old query's rows.
 */
internal class ChangePages(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val table: TableName,
    private val options: ChangeTrackingOptions,
) : PageSource<ChangePage> {

    override suspend fun fetch(continuationToken: String?): ChangePage {
        val parsed = continuationToken?.let(QueryTokens::parse)?.also { ServerValues.requireSameService(it.link, transport.apiUrl) }
        val metadata = tables.get(table)
        val fingerprint = QueryTokens.of(metadata.logicalName, options)
        val request = if (parsed == null) {
            ChangeTracking.first(metadata, options)
        } else {
            if (!ServerValues.isNextLinkOf(parsed.link, transport.apiUrl, metadata.entitySetName)) {
                throw InvalidInputException(
                    "Invalid continuation token for the changes of '$table': pass ChangePage.continuationToken from a page of the same " +
                        "table (a delta token goes in ChangeTrackingOptions.deltaToken).",
                )
            }
            QueryTokens.requireQuery(parsed.fingerprint, fingerprint, "the changes of '$table'", "its select or pageSize")
            ChangeTracking.next(parsed.link, options)
        }
        val page = ChangeTracking.page(transport.read(request), metadata, transport.apiUrl)
        return page.continuationToken?.let { ChangePage(page.changes, QueryTokens.encode(it, fingerprint), page.deltaToken) } ?: page
    }

    override fun repeatKey(continuationToken: String): String = QueryTokens.parse(continuationToken).link

    override fun continuationOf(page: ChangePage): String? = page.continuationToken
}

/** [ChangePager] over the client's one page chain. */
internal class RealChangePager(transport: HttpTransport, table: String, source: ChangePages) : ChangePager {
    private val chain = PageChain(transport, "records.changes", table, "next link", source)

    override fun pages(continuationToken: String?): Flow<ChangePage> = chain.pages(continuationToken)

    override fun changes(continuationToken: String?): Flow<Change> =
        pages(continuationToken).transform { page -> page.changes.forEach { emit(it) } }

    override fun cursor(continuationToken: String?): ChangeCursor = Cursor(chain.cursor(continuationToken))

    override fun toString(): String = "ChangePager"

    private class Cursor(private val cursor: PageChain<ChangePage>.Cursor) : ChangeCursor {
        override var deltaToken: String? = null
            private set

        override val correlationId: String get() = cursor.correlationId
        override val hasNext: Boolean get() = cursor.hasNext
        override val continuationToken: String? get() = cursor.continuationToken

        override suspend fun next(): ChangePage = cursor.next().also { page -> page.deltaToken?.let { deltaToken = it } }

        override fun close() = cursor.close()

        override fun toString(): String = cursor.toString()
    }
}
