package dev.dataverse.internal

import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.Query
import dev.dataverse.DataverseRecord
import dev.dataverse.RecordCount
import dev.dataverse.Records
import dev.dataverse.internal.protocol.FetchXml
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.RepeatGuard
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.SqlQueries
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import dev.dataverse.internal.transport.operationFlow
import kotlinx.coroutines.flow.Flow
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull

internal class RealQuery(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val records: Records,
) : Query {

    override fun fetchXml(fetchXml: String, pageSize: Int, includeAnnotations: Boolean): Flow<DataverseRecord> = operationFlow(
        transport, "query.fetchXml",
    ) { operation ->
        if (pageSize !in 1..ListOptions.MAX_PAGE_SIZE) {
            throw InvalidInputException("'pageSize' must be between 1 and ${ListOptions.MAX_PAGE_SIZE}, but was $pageSize.")
        }
        val query = FetchXml.parse(fetchXml)
        val metadata = operation(transport, operation) { tables.get(query.entityName.lowercase()) }
        val prefer = if (includeAnnotations) {
            "odata.include-annotations=\"*\""
        } else {
            "odata.include-annotations=\"$PAGING_COOKIE,$MORE_RECORDS\""
        }
        var page = 1
        var cookie: String? = null
        val cookies = RepeatGuard("paging cookie")
        while (true) {
            val xml = if (query.isPageable) query.forPage(page, pageSize, cookie) else query.asIs()
            val target = metadata.entitySetName + QueryStrings.queryString(listOf("fetchXml" to xml))
            val body = operation(transport, operation) { transport.read(target, listOf("Prefer" to prefer)) }
            val root = Responses.jsonObject(body, "FetchXML")
            Responses.page(body, metadata.logicalName, metadata.primaryIdAttribute).records.forEach { emit(it) }
            val more = (root["@$MORE_RECORDS"] as? JsonPrimitive)?.booleanOrNull ?: false
            if (!query.isPageable || !more) break
            // Without a cookie the service still pages by number alone (slower for it, but complete).
            cookie = FetchXml.innerPagingCookie(root.optionalString("@$PAGING_COOKIE"))?.also(cookies::check)
            page++
        }
    }

    override fun sql(sql: String): Flow<DataverseRecord> = operationFlow(transport, "query.sql") { operation ->
        val table = SqlQueries.requireReadOnly(sql)
        val metadata = operation(transport, operation) { tables.get(table) }
        var target: String? = metadata.entitySetName + QueryStrings.queryString(listOf("sql" to sql.trim()))
        val followed = RepeatGuard("next link")
        while (target != null) {
            val current: String = target
            val body = operation(transport, operation) { transport.read(current) }
            val page = Responses.page(body, metadata.logicalName, metadata.primaryIdAttribute)
            // Checked before the page is emitted, so a collector never sees rows of a page whose link is refused.
            target = ServerValues.nextLink(page.continuationToken, transport.apiUrl, metadata.entitySetName)?.also(followed::check)
            page.records.forEach { emit(it) }
        }
    }

    override suspend fun count(table: String, where: Filter?): RecordCount = operation(transport, "query.count", table) {
        val name = Identifiers.requireTable(table)
        val metadata = tables.get(name)
        val page = records.page(name, ListOptions(select = listOf(metadata.primaryIdAttribute), where = where, pageSize = 1, count = true))
        RecordCount(page.totalCount ?: throw dev.dataverse.MalformedResponseException("The response has no @odata.count."), page.totalCountLimitExceeded)
    }

    private companion object {
        const val PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie"
        const val MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords"
    }
}
