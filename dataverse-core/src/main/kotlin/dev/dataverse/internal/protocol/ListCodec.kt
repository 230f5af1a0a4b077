package dev.dataverse.internal.protocol

import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.internal.protocol.json.JsonDocuments
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull

/**
 * The pages of record listings (Learn: "Query data using the Web API", "Page results", "Use FetchXml to query data",
 * "Query data using SQL"): the request of a first page and of a next one, and the page an answer holds, decoded from
 * its bytes record by record ([Responses.page]). Pure; the listing's state (tokens, row limits, the links already
 * followed) is the pager's.
 */
internal object ListCodec {
    /** `GET {set}?$select=...&$filter=...` with the listing's `Prefer` (page size, annotations). */
    fun firstPage(table: TableMetadata, options: ListOptions): ApiRequest =
        ApiRequest(HttpMethod.Get, table.entitySetName + QueryStrings.listQuery(options), prefer(QueryStrings.listPreferences(options)))

    /** `GET <next link>` with the same `Prefer` as the first page, as Learn asks. */
    fun nextPage(link: String, options: ListOptions): ApiRequest = ApiRequest(HttpMethod.Get, link, prefer(QueryStrings.listPreferences(options)))

    /** A page of [table]'s records; an elastic table's count at its cap reads as capped ([TableTypes.capped]). */
    fun page(body: Body, table: TableMetadata): Page =
        TableTypes.capped(Responses.page(body, table.logicalName, table.primaryIdAttribute), table.tableType)

    /** `GET {set}?fetchXml=<query>`, asking for the paging cookie and the more-records flag (or every annotation). */
    fun fetchXml(table: TableMetadata, xml: String, includeAnnotations: Boolean): ApiRequest = ApiRequest(
        HttpMethod.Get,
        table.entitySetName + QueryStrings.queryString(listOf("fetchXml" to xml)),
        prefer(if (includeAnnotations) "odata.include-annotations=\"*\"" else "odata.include-annotations=\"$PAGING_COOKIE,$MORE_RECORDS\""),
    )

    /** A FetchXML page: its records, and what says whether and how to go on. */
    class FetchXmlPage(val page: Page, val pagingCookie: String?, val moreRecords: Boolean)

    fun fetchXmlPage(body: Body, table: TableMetadata): FetchXmlPage {
        val collection = Responses.collection(body, "FetchXML", FETCH_XML_MEMBERS)
        val records = collection.items.list(body.bytes, body.to) { reader ->
            dev.dataverse.DataverseRecord(table.logicalName, table.primaryIdAttribute, reader.nextObject())
        }
        return FetchXmlPage(
            Page(records, null, null, false),
            JsonDocuments.stringOrNull(collection.members["@$PAGING_COOKIE"]),
            (collection.members["@$MORE_RECORDS"] as? JsonPrimitive)?.booleanOrNull ?: false,
        )
    }

    /** `GET {set}?sql=<statement>`. */
    fun sql(table: TableMetadata, sql: String): ApiRequest =
        ApiRequest(HttpMethod.Get, table.entitySetName + QueryStrings.queryString(listOf("sql" to sql.trim())))

    /** `GET <next link>` of a SQL query. */
    fun sqlNext(link: String): ApiRequest = ApiRequest(HttpMethod.Get, link)

    private fun prefer(value: String?): List<Pair<String, String>> = value?.let { listOf("Prefer" to it) }.orEmpty()

    private const val PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie"
    private const val MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords"
    private val FETCH_XML_MEMBERS = setOf("@$PAGING_COOKIE", "@$MORE_RECORDS")
}
