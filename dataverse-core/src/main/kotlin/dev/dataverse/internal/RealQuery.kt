package dev.dataverse.internal

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.Pager
import dev.dataverse.Query
import dev.dataverse.DataverseRecord
import dev.dataverse.RecordCount
import dev.dataverse.Records
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.paging.FetchXmlPages
import dev.dataverse.internal.paging.RealPager
import dev.dataverse.internal.paging.SqlPages
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import kotlinx.coroutines.flow.Flow

internal class RealQuery(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val records: Records,
) : Query {

    override fun fetchXmlPager(fetchXml: String, pageSize: Int, includeAnnotations: Boolean): Pager =
        RealPager(transport, "query.fetchXml", null, "paging cookie", FetchXmlPages(transport, tables, fetchXml, pageSize, includeAnnotations))

    override fun fetchXml(fetchXml: String, pageSize: Int, includeAnnotations: Boolean): Flow<DataverseRecord> =
        fetchXmlPager(fetchXml, pageSize, includeAnnotations).records()

    override fun sqlPager(sql: String): Pager = RealPager(transport, "query.sql", null, "next link", SqlPages(transport, tables, sql))

    override fun sql(sql: String): Flow<DataverseRecord> = sqlPager(sql).records()

    override suspend fun count(table: String, filter: Filter?): RecordCount = operation(transport, "query.count", table) {
        val name = TableName.of(table)
        val metadata = tables.get(name)
        val page = records.page(name.value, ListOptions(select = listOf(metadata.primaryIdAttribute), filter = filter, pageSize = 1, count = true))
        RecordCount(page.totalCount ?: throw dev.dataverse.MalformedResponseException("The response has no @odata.count."), page.totalCountLimitExceeded)
    }
}
