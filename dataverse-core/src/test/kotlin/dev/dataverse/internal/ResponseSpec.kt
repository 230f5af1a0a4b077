package dev.dataverse.internal

import dev.dataverse.RecordKey
import dev.dataverse.internal.MockDataverse.Companion.API
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.UUID

/** What a `Response` carries, against exact answers: the request's own ids, the service's id, headers by any case. */
class ResponseSpec : FunSpec({
    val id = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")

    test("a response carries the ids the request was sent with, the service's request id and headers looked up in any case") {
        MockDataverse { request ->
            if (!request.url.encodedPath.endsWith("/accounts($id)")) return@MockDataverse null
            request.headers["Prefer"] shouldBe "return=representation"
            request.url.encodedQuery shouldBe "\$select=accountid"
            respond(
                """{"@odata.etag":"W/\"42\"","accountid":"$id"}""", HttpStatusCode.OK,
                headersOf(
                    "Content-Type" to listOf("application/json"),
                    "x-ms-service-request-id" to listOf("service-1"),
                    "OData-EntityId" to listOf("$API/accounts($id)"),
                    "Set-Cookie" to listOf("a=1", "b=2"),
                ),
            )
        }.use { mock ->
            val response = mock.client.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "x"))
            val sent = mock.dataRequests.single()
            response.clientRequestId shouldBe sent.headers["x-ms-client-request-id"]
            response.correlationId shouldBe sent.headers["x-ms-correlation-id"]
            response.serviceRequestId shouldBe "service-1"
            response.etag shouldBe "W/\"42\""
            response.value shouldBe id
            response.header("X-MS-SERVICE-REQUEST-ID") shouldBe "service-1"
            response.headers["set-cookie"] shouldBe listOf("a=1", "b=2")
            shouldThrow<UnsupportedOperationException> { (response.headers as MutableMap<String, List<String>>).clear() }
        }
    }

    test("a representation naming another record than the one written is refused") {
        MockDataverse { request ->
            if (!request.url.encodedPath.endsWith("/accounts($id)")) return@MockDataverse null
            respond("""{"@odata.etag":"W/\"1\"","accountid":"${UUID.randomUUID()}"}""", HttpStatusCode.OK, headersOf("Content-Type", "application/json"))
        }.use { mock ->
            shouldThrow<dev.dataverse.MalformedResponseException> {
                mock.client.records.upsertWithResponse("account", RecordKey.id(id), mapOf("name" to "x"))
            }
        }
    }
})
