package dev.dataverse.internal

import dev.dataverse.DataverseClient
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.respond
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.Collections
import java.util.UUID

/**
 * `If-None-Match: null`, the cache override Learn recommends on every request (compose-http-requests-handle-errors):
 * added once by the standard-headers stage to GETs, never on top of a request's own `If-None-Match`, and not to writes,
 * where `If-None-Match` is a condition (`*`: create only).
 */
class CacheOverrideSpec : FunSpec({
    val id = UUID.fromString("6f1f4b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b")

    test("compose-http-requests-handle-errors: every GET carries If-None-Match: null once; create, update and delete do not") {
        MockDataverse { request ->
            when (request.method) {
                HttpMethod.Get -> json("""{"accountid":"$id","name":"A"}""")
                HttpMethod.Post -> respond("", HttpStatusCode.NoContent, headersOf("OData-EntityId", "${MockDataverse.API}/accounts($id)"))
                else -> respond("", HttpStatusCode.NoContent)
            }.takeUnless { request.url.encodedPath.endsWith("/EntityDefinitions") }
        }.use { mock ->
            mock.client.records.get("account", id).getString("name") shouldBe "A"
            mock.client.records.update("account", id, mapOf("name" to "B"))
            mock.client.records.delete("account", id)

            // The metadata lookup is a GET too.
            mock.requests.filter { it.method == HttpMethod.Get }.map { it.headers.getAll("If-None-Match") }.toSet() shouldBe setOf(listOf("null"))
            mock.requests.filter { it.method != HttpMethod.Get }.map { it.method to it.headers.getAll("If-None-Match") } shouldBe
                listOf(HttpMethod.Patch to null, HttpMethod.Delete to null)
        }
    }

    test("a GET with an If-None-Match of its own (a conditional GET with an ETag) keeps it alone; a write may ask for the override") {
        val seen = Collections.synchronizedList(mutableListOf<HttpRequestData>())
        val engine = MockEngine { request ->
            seen += request
            respond("{}", HttpStatusCode.OK, MockDataverse.jsonHeaders)
        }
        val settings = DataverseClient.builder().environmentUrl(MockDataverse.BASE_URL).token("t").settings()
        HttpTransport(settings, engine).use { transport ->
            transport.send(ApiRequest(HttpMethod.Get, "accounts($id)", headers = listOf("If-None-Match" to "W/\"12\"")))
            transport.send(ApiRequest(HttpMethod.Patch, "accounts($id)/document", cacheOverride = true))
            transport.send(ApiRequest(HttpMethod.Patch, "accounts($id)", headers = listOf("If-None-Match" to "*")))
        }
        seen.map { it.headers.getAll("If-None-Match") } shouldBe listOf(listOf("W/\"12\""), listOf("null"), listOf("*"))
    }
})
