package dev.dataverse.internal

import dev.dataverse.DataverseClient
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.MockRequestHandleScope
import io.ktor.client.engine.mock.respond
import io.ktor.client.request.HttpRequestData
import io.ktor.client.request.HttpResponseData
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.Collections

/**
 * A client wired to Ktor's MockEngine: every request is recorded and answered by [handler]. EntityDefinitions lookups
 * are answered for `account` unless the handler answers them first, and so are its lookups (`ManyToOneRelationships`:
 * `parentaccountid` and `primarycontactid`), which writes with record references read.
 */
internal class MockDataverse(
    configure: DataverseClient.Builder.() -> Unit = { token("secret-token") },
    timeSource: kotlin.time.TimeSource = kotlin.time.TimeSource.Monotonic,
    val handler: suspend MockRequestHandleScope.(HttpRequestData) -> HttpResponseData?,
) : AutoCloseable {
    val requests: MutableList<HttpRequestData> = Collections.synchronizedList(mutableListOf())
    val engine = MockEngine { request ->
        requests += request
        handler(request) ?: if (request.url.encodedPath.endsWith("/EntityDefinitions")) {
            json(ACCOUNT_DEFINITION)
        } else if (request.url.encodedPath.endsWith("/ManyToOneRelationships")) {
            json(ACCOUNT_LOOKUPS)
        } else {
            respond("""{"error":{"code":"0x80060888","message":"unexpected request"}}""", HttpStatusCode.NotFound, jsonHeaders)
        }
    }
    val client = RealDataverseClient(
        // Retries wait on a recorded no-op instead of sleeping; tests that look at the waits install their own.
        DataverseClient.builder().environmentUrl(BASE_URL).apply { delay = {} }.apply(configure).settings(),
        engine,
        timeSource,
    )

    /** Requests other than metadata lookups. */
    val dataRequests: List<HttpRequestData> get() = requests.filterNot { it.url.encodedPath.endsWith("/EntityDefinitions") || it.url.encodedPath.endsWith("/ManyToOneRelationships") }

    override fun close() = client.close()

    companion object {
        const val BASE_URL = "https://contoso.crm.dynamics.com"
        const val API = "$BASE_URL/api/data/v9.2"
        val jsonHeaders = headersOf(HttpHeaders.ContentType, "application/json; odata.metadata=minimal")
        const val ACCOUNT_DEFINITION = """{"value":[{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84","LogicalName":"account",
            "SchemaName":"Account","EntitySetName":"accounts","PrimaryNameAttribute":"name","PrimaryIdAttribute":"accountid"}]}"""

        const val ACCOUNT_LOOKUPS = """{"value":[
            {"ReferencingAttribute":"parentaccountid","ReferencingEntityNavigationPropertyName":"parentaccountid","ReferencedEntity":"account"},
            {"ReferencingAttribute":"primarycontactid","ReferencingEntityNavigationPropertyName":"primarycontactid","ReferencedEntity":"contact"}]}"""

        fun MockRequestHandleScope.json(body: String, status: HttpStatusCode = HttpStatusCode.OK, vararg headers: Pair<String, String>) =
            respond(body, status, headersOf(HttpHeaders.ContentType to listOf("application/json"), *headers.map { it.first to listOf(it.second) }.toTypedArray()))
    }
}
