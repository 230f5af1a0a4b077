package dev.dataverse.internal

import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.MockDataverse.Companion.API
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.ktor.client.engine.mock.respond
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.OutgoingContent
import io.ktor.http.headersOf
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.util.UUID

/**
 * A write is encoded once when the metadata it needs is cached (the encoding is then its validation), and validated
 * before any lookup when it is not: either way the body is the same, and invalid input sends nothing at all — no write,
 * no metadata lookup. Learn: "Create a table row using the Web API" (204 with `OData-EntityId`) and "Associate table rows
 * on create" (`<navigation property>@odata.bind` with the entity set and id).
 */
class WritePreparerSpec : FunSpec({
    val parent = UUID.fromString("8f9c4b3e-0d1a-4b7e-9a51-2f7c6d3e1b20")

    fun body(request: HttpRequestData): JsonObject =
        Json.parseToJsonElement((request.body as OutgoingContent.ByteArrayContent).bytes().decodeToString()).jsonObject

    fun created() = MockDataverse { request ->
        if (request.method != HttpMethod.Post) return@MockDataverse null
        val id = body(request)["accountid"]!!.jsonPrimitive.content
        respond("", HttpStatusCode.NoContent, headersOf("OData-EntityId", "$API/accounts($id)"))
    }

    test("a create encoded once with its metadata cached has the body of one validated before its lookups") {
        created().use { mock ->
            val values = mapOf("name" to "Contoso", "parentaccountid" to EntityReference("account", parent), "numberofemployees" to 12)
            val first = mock.client.records.create("account", values)
            val second = mock.client.records.create("account", values)

            mock.requests.count { it.url.encodedPath.endsWith("/EntityDefinitions") } shouldBe 1
            val (looked, cached) = mock.dataRequests.map { body(it) }
            looked["accountid"]!!.jsonPrimitive.content shouldBe first.toString()
            cached["accountid"]!!.jsonPrimitive.content shouldBe second.toString()
            looked["parentaccountid@odata.bind"]!!.jsonPrimitive.content shouldBe "/accounts($parent)"
            cached - "accountid" shouldBe looked - "accountid"
        }
    }

    test("with the metadata cached, invalid input still fails before anything is sent") {
        created().use { mock ->
            mock.client.records.create("account", mapOf("name" to "Contoso"))
            val before = mock.requests.size

            shouldThrow<InvalidInputException> { mock.client.records.create("account", mapOf("name" to Any())) }
            shouldThrow<InvalidInputException> { mock.client.records.create("account", mapOf("numberofemployees" to Double.NaN)) }
            shouldThrow<InvalidInputException> { mock.client.records.create("account", mapOf("bad name" to 1)) }

            mock.requests.size shouldBe before
        }
    }

    test("invalid input referring to a table not looked up yet sends no lookup, whether its own table is cached or not") {
        created().use { mock ->
            val invalid = mapOf("primarycontactid" to EntityReference("contact", parent), "name" to Any())
            shouldThrow<InvalidInputException> { mock.client.records.create("account", invalid) }
            mock.requests.shouldBeEmpty()

            mock.client.records.create("account", mapOf("name" to "Contoso"))
            val before = mock.requests.size
            shouldThrow<InvalidInputException> { mock.client.records.create("account", invalid) }
            mock.requests.size shouldBe before
        }
    }
})
