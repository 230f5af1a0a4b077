package dev.dataverse.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchDisabledException
import dev.dataverse.SearchEntity
import dev.dataverse.SearchFacetType
import dev.dataverse.SearchFailedException
import dev.dataverse.SearchMode
import dev.dataverse.SearchQuery
import dev.dataverse.SearchQueryType
import dev.dataverse.SearchResult
import dev.dataverse.SearchSuggestQuery
import dev.dataverse.ThrottledException
import dev.dataverse.internal.MockDataverse.Companion.BASE_URL
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.EnvironmentUrl
import dev.dataverse.internal.transport.OriginGuard
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpStatusCode
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import java.math.BigDecimal
import java.util.UUID

/**
 * What the client sends to and reads from the search 2.0 endpoint, checked against the examples of the Learn pages
 * "Dataverse Search query", "Dataverse Search suggest", "Dataverse Search autocomplete" and "Search for Dataverse
 * records" (errors, service protection limits).
 */
class SearchWireSpec : FunSpec({
    suspend fun HttpRequestData.bodyJson(): JsonObject = Json.parseToJsonElement(body.toByteArray().decodeToString()).jsonObject
    fun wrapped(inner: String) = JsonObject(mapOf("response" to JsonPrimitive(inner))).toString()

    // The answer of Learn's query example (Web API tab), verbatim.
    val learnQueryAnswer = """{"Error":null,"Value":[{"Id":"8b35eda1-ef69-ee11-9ae7-000d3a88a4a2","EntityName":"account","ObjectTypeCode":0,""" +
        """"Attributes":{"@search.objecttypecode":1,"name":"Contoso Pharmaceuticals (sample)","createdon":"2023-10-13T17:41:21Z",""" +
        """"createdon@OData.Community.Display.V1.FormattedValue":"10/13/2023 5:41 PM"},"Highlights":{"name":["{crmhit}Contoso{/crmhit} Pharmaceuticals (sample)"]},""" +
        """"Score":4.95567}],"Facets":{},"QueryContext":null,"Count":1}"""

    test("a query is POSTed to /api/search/v2.0/query with entities, orderby, facets and options as JSON strings, as Learn's example") {
        MockDataverse { json(wrapped(learnQueryAnswer)) }.use { service ->
            val results = service.client.search.query(
                SearchQuery(
                    "Contoso",
                    entities = listOf(
                        SearchEntity("account", listOf("name", "createdon"), listOf("name"), "statecode eq 0"),
                        SearchEntity("contact", listOf("fullname", "createdon"), listOf("fullname"), "statecode eq 0"),
                    ),
                    filter = "createdon gt 2022-08-15",
                    facets = listOf("entityname,count:100", "createdon,values:2019-04-27T00:00:00|2020-03-27T00:00:00"),
                    orderBy = listOf("createdon desc", "@search.score desc"),
                    count = true, top = 7, skip = 0,
                    searchMode = SearchMode.ALL, queryType = SearchQueryType.LUCENE, bestEffortSearch = true,
                ),
            )
            val request = service.requests.single()
            request.method.value shouldBe "POST"
            request.url.toString() shouldBe "$BASE_URL/api/search/v2.0/query"
            val body = request.bodyJson()
            body["search"] shouldBe JsonPrimitive("Contoso")
            body["top"] shouldBe JsonPrimitive(7)
            body["skip"] shouldBe JsonPrimitive(0)
            body["count"] shouldBe JsonPrimitive(true)
            body["filter"] shouldBe JsonPrimitive("createdon gt 2022-08-15")
            body["orderby"] shouldBe JsonPrimitive("""["createdon desc","@search.score desc"]""")
            body["facets"] shouldBe JsonPrimitive("""["entityname,count:100","createdon,values:2019-04-27T00:00:00|2020-03-27T00:00:00"]""")
            body["entities"] shouldBe JsonPrimitive(
                """[{"name":"account","selectColumns":["name","createdon"],"searchColumns":["name"],"filter":"statecode eq 0"},""" +
                    """{"name":"contact","selectColumns":["fullname","createdon"],"searchColumns":["fullname"],"filter":"statecode eq 0"}]""",
            )
            Json.parseToJsonElement((body["options"] as JsonPrimitive).content) shouldBe
                Json.parseToJsonElement("""{"querytype":"lucene","searchmode":"all","besteffortsearchenabled":"true"}""")

            results.totalCount shouldBe 1L
            results.queryContext shouldBe null
            results.facets shouldBe emptyMap()
            val result = results.results.single()
            result.id shouldBe UUID.fromString("8b35eda1-ef69-ee11-9ae7-000d3a88a4a2")
            result.entityName shouldBe "account"
            result.objectTypeCode shouldBe 0
            result.score shouldBe 4.95567
            result.attributes["name"] shouldBe "Contoso Pharmaceuticals (sample)"
            result.attributes["@search.objecttypecode"] shouldBe 1L
            result.attributes["createdon@OData.Community.Display.V1.FormattedValue"] shouldBe "10/13/2023 5:41 PM"
            result.highlights shouldBe mapOf("name" to listOf("{crmhit}Contoso{/crmhit} Pharmaceuticals (sample)"))
            SearchResult.stripHighlights(result.highlights.getValue("name").single()) shouldBe "Contoso Pharmaceuticals (sample)"
        }
    }

    test("a minimal query sends only the search text, and a count of -1 (count not asked) reads as null") {
        MockDataverse { json(wrapped("""{"Error":null,"Value":[],"Facets":{},"QueryContext":null,"Count":-1}""")) }.use { service ->
            val results = service.client.search.query(SearchQuery("maria"))
            service.requests.single().bodyJson() shouldBe JsonObject(mapOf("search" to JsonPrimitive("maria")))
            results.totalCount shouldBe null
            results.results.shouldBeEmpty()
        }
    }

    test("facets, query context and lower-case field names are read (Learn: FacetResult, QueryContext)") {
        val answer = """{"Error":null,"Value":[],"Facets":{"entityname":[{"count":2,"value":"account","type":"value"},{"count":1,"value":"contact","type":"value"}],""" +
            """"revenue":[{"count":3,"to":1000,"type":"range"},{"count":1,"from":1000,"type":1}],"account:primarycontactid":[{"count":1,"value":"b0a1","optionalvalue":"Yvonne","type":0}]},""" +
            """"QueryContext":{"originalquery":"contso","alteredquery":"contoso","reason":["spelling"],"spellsuggestions":["contoso"]},"Count":4}"""
        MockDataverse { json(wrapped(answer)) }.use { service ->
            val results = service.client.search.query(SearchQuery("contso", facets = listOf("entityname", "revenue,values:1000", "account:primarycontactid")))
            results.facets.keys shouldBe setOf("entityname", "revenue", "account:primarycontactid")
            results.facets.getValue("entityname").map { it.value to it.count } shouldBe listOf("account" to 2L, "contact" to 1L)
            val revenue = results.facets.getValue("revenue")
            revenue.map { it.type } shouldBe listOf(SearchFacetType.RANGE, SearchFacetType.RANGE)
            revenue[0].from shouldBe null
            revenue[0].to shouldBe 1000L
            revenue[1].from shouldBe 1000L
            results.facets.getValue("account:primarycontactid").single().optionalValue shouldBe "Yvonne"
            val context = results.queryContext!!
            context.originalQuery shouldBe "contso"
            context.alteredQuery shouldBe "contoso"
            context.reasons shouldBe listOf("spelling")
            context.spellSuggestions shouldBe listOf("contoso")
            results.totalCount shouldBe 4L
        }
    }

    test("suggest and autocomplete go to their endpoints and read Learn's example answers") {
        val suggestAnswer = """{"Error":null,"Value":[{"Text":"{crmhit}cont{/crmhit}act","Document":{"@search.objectid":"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb",""" +
            """"@search.entityname":"contact","@search.objecttypecode":2,"fullname":"Yvonne McKay (sample)"}}],"QueryContext":null}"""
        MockDataverse { request ->
            when (request.url.encodedPath) {
                "/api/search/v2.0/suggest" -> json(wrapped(suggestAnswer))
                "/api/search/v2.0/autocomplete" -> json(wrapped("""{"Error":null,"Value":"{crmhit}contoso{/crmhit}","QueryContext":null}"""))
                else -> null
            }
        }.use { service ->
            val suggestions = service.client.search.suggest(
                SearchSuggestQuery("Cont", top = 3, fuzzy = true, advancedSuggest = true, entities = listOf(SearchEntity("contact"))),
            )
            val suggestion = suggestions.single()
            suggestion.text shouldBe "{crmhit}cont{/crmhit}act"
            suggestion.id shouldBe UUID.fromString("aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb")
            suggestion.entityName shouldBe "contact"
            suggestion.document["fullname"] shouldBe "Yvonne McKay (sample)"
            val suggestBody = service.requests[0].bodyJson()
            suggestBody["top"] shouldBe JsonPrimitive(3)
            suggestBody["fuzzy"] shouldBe JsonPrimitive(true)
            suggestBody["entities"] shouldBe JsonPrimitive("""[{"name":"contact"}]""")
            suggestBody["options"] shouldBe JsonPrimitive("""{"advancedsuggestenabled":"true"}""")

            service.client.search.autocomplete(SearchAutocompleteQuery("Con", fuzzy = true)) shouldBe "{crmhit}contoso{/crmhit}"
            service.requests[1].bodyJson() shouldBe JsonObject(mapOf("search" to JsonPrimitive("Con"), "fuzzy" to JsonPrimitive(true)))
        }
    }

    test("search turned off for the environment raises SearchDisabledException with the service's code (Learn: Error when search not enabled)") {
        MockDataverse {
            json("""{"error":{"code":"0x80048d0b","message":"Dataverse Search feature is disabled for this organization."}}""", HttpStatusCode.BadRequest)
        }.use { service ->
            val error = shouldThrow<SearchDisabledException> { service.client.search.query(SearchQuery("contoso")) }
            error.statusCode shouldBe 400
            error.errorCode shouldBe "0x80048d0b"
            error.serviceMessage shouldBe "Dataverse Search feature is disabled for this organization."
            shouldThrow<SearchDisabledException> { service.client.search.autocomplete(SearchAutocompleteQuery("c")) }
        }
    }

    test("an error inside a 200 answer raises SearchFailedException carrying its code and message") {
        MockDataverse {
            json(wrapped("""{"Error":{"code":"InvalidRequestParameter","message":"Failed to parse query string at line 1, column 5.","propertybag":null},"Value":null}"""))
        }.use { service ->
            val error = shouldThrow<SearchFailedException> { service.client.search.query(SearchQuery("(abc", queryType = SearchQueryType.LUCENE)) }
            error.errorCode shouldBe "InvalidRequestParameter"
            error.serviceMessage shouldBe "Failed to parse query string at line 1, column 5."
            error.message shouldContain "Failed to parse"
            error.correlationId shouldBe service.requests.single().headers["x-ms-correlation-id"]
        }
    }

    test("an answer without the documented shape is a MalformedResponseException, not a silent empty result") {
        for (body in listOf("""{"value":[]}""", wrapped("not json"), wrapped("""{"Value":[{"Id":"x","EntityName":"account"}]}"""))) {
            MockDataverse { json(body) }.use { service ->
                shouldThrow<MalformedResponseException> { service.client.search.query(SearchQuery("contoso")) }
            }
        }
    }

    test("search's own service protection limit (429 with Retry-After) is retried, then raised as ThrottledException") {
        var calls = 0
        MockDataverse {
            calls++
            if (calls == 1) json("""{"error":{"code":"0x80072322","message":"slow down"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "1")
            else json(wrapped("""{"Error":null,"Value":[],"Facets":{},"QueryContext":null,"Count":-1}"""))
        }.use { service ->
            service.client.search.query(SearchQuery("contoso")).results.shouldBeEmpty()
            calls shouldBe 2
        }
        MockDataverse { json("""{"error":{"code":"0x80072322","message":"slow down"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "1") }.use { service ->
            shouldThrow<ThrottledException> { service.client.search.query(SearchQuery("contoso")) }
        }
    }

    test("bad input fails before anything is sent, naming the documented limit") {
        MockDataverse { json(wrapped(learnQueryAnswer)) }.use { service ->
            shouldThrow<InvalidInputException> { SearchQuery("") }.message shouldContain "blank"
            shouldThrow<InvalidInputException> { SearchQuery("   ") }
            shouldThrow<InvalidInputException> { SearchQuery("x".repeat(101)) }.message shouldContain "100"
            SearchQuery("x".repeat(100)).search.length shouldBe 100
            shouldThrow<InvalidInputException> { SearchQuery("a", top = 101) }.message shouldContain "100"
            shouldThrow<InvalidInputException> { SearchQuery("a", top = 0) }
            shouldThrow<InvalidInputException> { SearchQuery("a", skip = -1) }
            shouldThrow<InvalidInputException> { SearchQuery("a", orderBy = listOf("name; drop")) }
            shouldThrow<InvalidInputException> { SearchQuery("a", facets = listOf("createdon,count:5,interval:day")) }.message shouldContain "cannot be combined"
            shouldThrow<InvalidInputException> { SearchQuery("a", facets = listOf("revenue,values:1|2,interval:10")) }
            shouldThrow<InvalidInputException> { SearchQuery("a", facets = listOf("revenue,colour:red")) }.message shouldContain "unknown parameter"
            shouldThrow<InvalidInputException> { SearchQuery("a", facets = listOf("createdon,timeoffset:+02:00")) }.message shouldContain "interval"
            shouldThrow<InvalidInputException> { SearchQuery("a", filter = " ") }
            shouldThrow<InvalidInputException> { SearchQuery("a", entities = listOf(SearchEntity("account"), SearchEntity("ACCOUNT"))) }
            shouldThrow<InvalidInputException> { SearchEntity("account/../x") }
            shouldThrow<InvalidInputException> { SearchEntity("account", selectColumns = listOf("name,x")) }
            shouldThrow<InvalidInputException> { SearchSuggestQuery("ab") }.message shouldContain "3 to 100"
            shouldThrow<InvalidInputException> { SearchSuggestQuery("abc", top = 101) }
            shouldThrow<InvalidInputException> { SearchAutocompleteQuery("") }
            service.requests.shouldBeEmpty()
        }
    }

    test("escape backslash-escapes the simple syntax's operators, as Learn's phone number example") {
        SearchQuery.escape("+1(800)555-1234") shouldBe "\\+1\\(800\\)555\\-1234"
        SearchQuery.escape("plain text") shouldBe "plain text"
    }

    test("builders and constructors give equal queries, and toBuilder keeps every option") {
        val built = SearchQuery.builder("contoso").entities(SearchEntity.builder("account").selectColumns("name").searchColumns("name").filter("statecode eq 0").build())
            .filter("createdon gt 2022-08-15").facets("entityname").orderBy("name asc").count(true).top(10).skip(20)
            .searchMode(SearchMode.ANY).queryType(SearchQueryType.SIMPLE).bestEffortSearch(false).groupRanking(true).build()
        val constructed = SearchQuery(
            "contoso", listOf(SearchEntity("account", listOf("name"), listOf("name"), "statecode eq 0")), "createdon gt 2022-08-15",
            listOf("entityname"), listOf("name asc"), true, 10, 20, SearchMode.ANY, SearchQueryType.SIMPLE, false, true,
        )
        built shouldBe constructed
        built.toBuilder().build() shouldBe built
        SearchSuggestQuery.builder("cont").top(3).fuzzy(true).build() shouldBe SearchSuggestQuery("cont", fuzzy = true, top = 3)
        SearchAutocompleteQuery.builder("co").filter("statecode eq 0").build() shouldBe SearchAutocompleteQuery("co", filter = "statecode eq 0")
    }

    test("the origin guard lets search requests through on the environment's own origin only") {
        val guard = OriginGuard(EnvironmentUrl.parse(BASE_URL), "$BASE_URL/api/data/v9.2")
        guard.resolve("$BASE_URL/api/search/v2.0/query") shouldBe "$BASE_URL/api/search/v2.0/query"
        for (target in listOf("https://evil.example/api/search/v2.0/query", "http://contoso.crm.dynamics.com/api/search/v2.0/query", "$BASE_URL/api/search/v1.0/query")) {
            shouldThrow<InvalidInputException> { guard.resolve(target) }.message shouldContain "Refusing"
        }
    }

    test("numbers in attributes keep their precision") {
        val answer = """{"Error":null,"Value":[{"Id":"8b35eda1-ef69-ee11-9ae7-000d3a88a4a2","EntityName":"account","ObjectTypeCode":1,"Attributes":{"revenue":12345678901234.56},"Highlights":{},"Score":1}],"Count":-1}"""
        MockDataverse { json(wrapped(answer)) }.use { service ->
            service.client.search.query(SearchQuery("x")).results.single().attributes["revenue"] shouldBe BigDecimal("12345678901234.56")
        }
    }
})
