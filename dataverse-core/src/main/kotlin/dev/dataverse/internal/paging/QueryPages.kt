package dev.dataverse.internal.paging

import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.internal.TableMetadataCache
import dev.dataverse.internal.protocol.FetchXml
import dev.dataverse.internal.protocol.FetchXmlTokens
import dev.dataverse.internal.protocol.ListCodec
import dev.dataverse.internal.protocol.QueryTokens
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.SqlQueries
import dev.dataverse.internal.read
import dev.dataverse.internal.transport.HttpTransport

/**
 * Pages of a FetchXML query: `count` records per request and the `page` number, continuing from the service's paging
 * cookie — or by page number alone when the service returns none. Aggregate and `top` queries are one page. The query is
 * parsed (and refused) when the first page is fetched, so that invalid input fails where the listing is consumed.
 */
internal class FetchXmlPages(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val fetchXml: String,
    private val pageSize: Int,
    private val includeAnnotations: Boolean,
) : PageFetcher {

    override suspend fun fetch(continuationToken: String?): Page {
        if (pageSize !in 1..ListOptions.MAX_PAGE_SIZE) {
            throw InvalidInputException("'pageSize' must be between 1 and ${ListOptions.MAX_PAGE_SIZE}, but was $pageSize.")
        }
        val query = FetchXml.parse(fetchXml)
        val entity = query.entityName.lowercase()
        val fingerprint = QueryTokens.ofFetchXml(fetchXml, pageSize)
        val position = continuationToken?.let { FetchXmlTokens.decode(it, entity, fingerprint) } ?: FetchXmlTokens.Position(1, null)
        if (continuationToken != null && !query.isPageable) {
            throw InvalidInputException("Aggregate and 'top' FetchXML queries are answered in one page: they take no continuation token.")
        }
        val metadata = tables.get(TableName.of(entity))
        val xml = if (query.isPageable) query.forPage(position.page, pageSize, position.cookie) else query.asIs()
        val answer = ListCodec.fetchXmlPage(transport.read(ListCodec.fetchXml(metadata, xml, includeAnnotations)), metadata)
        val next = if (query.isPageable && answer.moreRecords) {
            // Without a cookie the service still pages by number alone (slower for it, but complete).
            FetchXmlTokens.encode(entity, fingerprint, position.page + 1, FetchXml.innerPagingCookie(answer.pagingCookie))
        } else {
            null
        }
        return Page(answer.page.records, next, null, false)
    }

    override fun repeatKey(continuationToken: String): String = FetchXmlTokens.repeatKey(continuationToken)
}

/**
 * Pages of a read-only SQL query (`?sql=`), following the service's next links; a continuation token is such a link
 * with the statement's fingerprint ([QueryTokens]), checked like one before it is sent. The statement is checked when the first page is fetched.
 */
internal class SqlPages(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val sql: String,
) : PageFetcher {

    override suspend fun fetch(continuationToken: String?): Page {
        val table = SqlQueries.requireReadOnly(sql)
        val parsed = continuationToken?.let(QueryTokens::parse)?.also { ServerValues.requireSameService(it.link, transport.apiUrl) }
        val metadata = tables.get(TableName.of(table))
        val fingerprint = QueryTokens.ofSql(sql)
        val request = if (parsed == null) {
            ListCodec.sql(metadata, sql)
        } else {
            if (!ServerValues.isNextLinkOf(parsed.link, transport.apiUrl, metadata.entitySetName)) {
                throw InvalidInputException(
                    "Invalid continuation token for a SQL query of '$table': pass Page.continuationToken from a page of the same query.",
                )
            }
            QueryTokens.requireQuery(parsed.fingerprint, fingerprint, "a SQL query of '$table'", "its SQL text")
            ListCodec.sqlNext(parsed.link)
        }
        val page = Responses.page(transport.read(request), metadata.logicalName, metadata.primaryIdAttribute)
        ServerValues.nextLink(page.continuationToken, transport.apiUrl, metadata.entitySetName)
        return Page(page.records, page.continuationToken?.let { QueryTokens.encode(it, fingerprint) }, page.totalCount, page.totalCountLimitExceeded)
    }

    override fun repeatKey(continuationToken: String): String = QueryTokens.parse(continuationToken).link
}
