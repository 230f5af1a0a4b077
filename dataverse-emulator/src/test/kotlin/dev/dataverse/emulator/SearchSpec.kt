package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * The search 2.0 endpoint as any client sees it on the wire, fed the request bodies of Learn's examples verbatim
 * ("Dataverse Search query", "Dataverse Search suggest", "Dataverse Search autocomplete", "Search for Dataverse
 * records"): JSON strings for entities, orderby and options, `"null"` for absent ones, PascalCase entity fields.
 */
class SearchSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    val anonymous = TestClient(emulator, token = null)
    afterSpec {
        client.close()
        anonymous.close()
        emulator.close()
    }
    val search = "${emulator.baseUrl}/api/search/v2.0"

    /** The JSON inside the `response` string of a search answer. */
    fun TestResponse.inner(): JsonObject = Json.parseToJsonElement(json.getValue("response").jsonPrimitive.content).jsonObject

    beforeTest {
        emulator.reset()
        emulator.searchEnabled = true
        client.post("accounts", """{"name":"Contoso Pharmaceuticals (sample)","statecode":0}""").status shouldBe 204
        client.post("contacts", """{"firstname":"Yvonne","lastname":"McKay (sample)","jobtitle":"Contoso buyer"}""").status shouldBe 204
    }

    test("Learn's Web API query body is answered with the documented response shape") {
        val body = """{"top":7,"search":"Contoso","skip":0,""" +
            """"entities":"[{\"Name\":\"account\",\"SelectColumns\":[\"name\",\"createdon\"],\"SearchColumns\":[\"name\"],\"Filter\":\"statecode eq 0\"},""" +
            """{\"Name\":\"contact\",\"SelectColumns\":[\"fullname\",\"createdon\"],\"SearchColumns\":[\"fullname\"],\"Filter\":\"statecode eq 0\"}]",""" +
            """"orderby":"[\"createdon desc\"]","filter":"createdon gt 2022-08-15","count":true,"options":"null","facets":"null"}"""
        val response = client.send(HttpMethod.Post, "$search/query", body)
        response.status shouldBe 200
        val inner = response.inner()
        inner.keys shouldContainExactly setOf("Error", "Value", "Facets", "QueryContext", "Count")
        inner.getValue("Count").jsonPrimitive.content shouldBe "1"
        val result = inner.getValue("Value").jsonArray.single().jsonObject
        result.keys shouldContainExactly setOf("Id", "EntityName", "ObjectTypeCode", "Attributes", "Highlights", "Score")
        result.text("EntityName") shouldBe "account"
        val attributes = result.getValue("Attributes").jsonObject
        attributes.getValue("@search.objecttypecode").jsonPrimitive.content shouldBe "1"
        attributes.text("name") shouldBe "Contoso Pharmaceuticals (sample)"
        attributes.keys shouldContain "createdon"
        result.getValue("Highlights").jsonObject.getValue("name").jsonArray.single().jsonPrimitive.content shouldBe
            "{crmhit}Contoso{/crmhit} Pharmaceuticals (sample)"
    }

    test("options as Learn writes them (single quotes) switch to Lucene and search mode all") {
        val lucene = client.send(HttpMethod.Post, "$search/query", """{"search":"contoso AND buyer","options":"{'querytype': 'lucene', 'searchmode': 'all'}"}""")
        lucene.inner().getValue("Value").jsonArray.map { it.jsonObject.text("EntityName") } shouldBe listOf("contact")
        val broken = client.send(HttpMethod.Post, "$search/query", """{"search":"(contoso","options":"{'querytype': 'lucene'}"}""").inner()
        broken.getValue("Error").jsonObject.text("message")!! shouldContain "Failed to parse"
    }

    test("suggest and autocomplete answer Learn's shapes") {
        val suggest = client.send(HttpMethod.Post, "$search/suggest", """{"orderby":"null","options":"null","fuzzy":false,"search":"Cont","filter":null,"entities":"null","top":3}""").inner()
        suggest.keys shouldContainExactly setOf("Error", "Value", "QueryContext")
        val first = suggest.getValue("Value").jsonArray.first().jsonObject
        first.text("Text")!! shouldContain "{crmhit}Cont"
        first.getValue("Document").jsonObject.keys shouldContain "@search.objectid"
        val complete = client.send(
            HttpMethod.Post, "$search/autocomplete",
            """{"entities":"[{\"Name\":\"account\",\"SelectColumns\":[\"name\",\"createdon\"],\"SearchColumns\":[\"name\"],\"Filter\":null}]","search":"Con","fuzzy":true,"filter":null}""",
        ).inner()
        complete.getValue("Value").jsonPrimitive.content shouldBe "{crmhit}contoso{/crmhit}"
    }

    test("the documented limits and errors: text length, top, disabled search, authentication, method, unknown operation") {
        client.send(HttpMethod.Post, "$search/query", """{"search":"${"x".repeat(101)}"}""").status shouldBe 400
        client.send(HttpMethod.Post, "$search/suggest", """{"search":"co"}""").status shouldBe 400
        client.send(HttpMethod.Post, "$search/query", """{"search":"contoso","top":101}""").status shouldBe 400
        client.send(HttpMethod.Post, "$search/query", """{"top":5}""").status shouldBe 400
        anonymous.send(HttpMethod.Post, "$search/query", """{"search":"contoso"}""").status shouldBe 401
        client.send(HttpMethod.Get, "$search/query").status shouldBe 405
        client.send(HttpMethod.Post, "$search/unknown", """{"search":"contoso"}""").status shouldBe 404
        emulator.searchEnabled = false
        val disabled = client.send(HttpMethod.Post, "$search/query", """{"search":"contoso"}""")
        disabled.status shouldBe 400
        disabled.errorCode shouldBe "0x80048d0b"
        disabled.errorMessage shouldBe "Dataverse Search feature is disabled for this organization."
    }

    test("count is -1 unless asked for, and facets count the matches") {
        val inner = client.send(HttpMethod.Post, "$search/query", """{"search":"contoso","facets":"[\"entityname\"]"}""").inner()
        inner.getValue("Count").jsonPrimitive.content shouldBe "-1"
        val facet = inner.getValue("Facets").jsonObject.getValue("entityname").jsonArray.map { it.jsonObject }
        facet.map { it.text("value") to it.getValue("count").jsonPrimitive.content } shouldBe listOf("account" to "1", "contact" to "1")
        facet.first().getValue("type") shouldBe JsonPrimitive("value")
    }

    test("Learn, Dataverse native search 1.0: query, suggest and autocomplete answer the 1.0 shapes") {
        val v1 = "${emulator.baseUrl}/api/search/v1.0"
        val query = client.send(HttpMethod.Post, "$v1/query", """{"search":"Contoso","entities":["account","contact"],"returntotalrecordcount":true}""")
        query.status shouldBe 200
        query.json.keys shouldContainExactly setOf("value", "facets", "totalrecordcount")
        val hits = query.json.getValue("value").jsonArray
        query.json.getValue("totalrecordcount").jsonPrimitive.content shouldBe hits.size.toString()
        val hit = hits.first().jsonObject
        hit.keys shouldContain "@search.score"
        hit.keys shouldContain "@search.highlights"
        hit.keys shouldContain "@search.objectid"
        hit.text("@search.entityname") shouldBe "account"
        client.send(HttpMethod.Post, "$v1/query", """{"search":"Contoso"}""").json.getValue("totalrecordcount").jsonPrimitive.content shouldBe "-1"
        val suggest = client.send(HttpMethod.Post, "$v1/suggest", """{"search":"Cont","usefuzzy":false}""").json.getValue("value").jsonArray
        suggest.first().jsonObject.text("text")!! shouldContain "{crmhit}"
        suggest.first().jsonObject.getValue("document").jsonObject.keys shouldContain "@search.objectid"
        client.send(HttpMethod.Post, "$v1/autocomplete", """{"search":"Cont"}""").json.text("value")!! shouldContain "{crmhit}"
        client.send(HttpMethod.Get, "$v1/query").status shouldBe 405
    }
})
