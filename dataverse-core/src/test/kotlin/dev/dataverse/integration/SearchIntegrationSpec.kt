package dev.dataverse.integration

import dev.dataverse.BadRequestException
import dev.dataverse.EntityReference
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchDisabledException
import dev.dataverse.SearchEntity
import dev.dataverse.SearchFacetType
import dev.dataverse.SearchFailedException
import dev.dataverse.SearchMode
import dev.dataverse.SearchQuery
import dev.dataverse.SearchQueryType
import dev.dataverse.SearchSuggestQuery
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.UUID

/**
 * Dataverse search end to end: the client against the emulator's search 2.0 endpoint over loopback HTTP. Learn:
 * "Dataverse Search query", "Dataverse Search suggest", "Dataverse Search autocomplete", "Search for Dataverse records".
 */
class SearchIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    lateinit var contoso: UUID
    lateinit var fabrikam: UUID
    lateinit var northwind: UUID
    lateinit var yvonne: UUID

    beforeSpec {
        contoso = fixture.records.create("account", mapOf("name" to "Contoso Pharmaceuticals", "description" to "Blue pills and red pills", "numberofemployees" to 120, "revenue" to 5000))
        fabrikam = fixture.records.create("account", mapOf("name" to "Fabrikam Contoso Partners", "description" to "Consulting", "numberofemployees" to 15, "revenue" to 800))
        northwind = fixture.records.create("account", mapOf("name" to "Northwind Traders", "description" to "Blue cheese", "numberofemployees" to 40, "revenue" to 1500))
        yvonne = fixture.records.create("contact", mapOf("firstname" to "Yvonne", "lastname" to "McKay", "jobtitle" to "Buyer at Contoso", "parentcustomerid_account" to EntityReference("account", contoso)))
    }

    afterTest {
        fixture.emulator.searchEnabled = true
        fixture.emulator.searchableTables = null
    }

    test("a query finds records across tables, ranked, with {crmhit} highlights, the primary name and the type code") {
        val results = fixture.client.search.query(SearchQuery("contoso", count = true))
        results.results.map { it.id } shouldContainExactlyInAnyOrder listOf(contoso, fabrikam, yvonne)
        results.totalCount shouldBe 3L
        val account = results.results.first { it.id == contoso }
        account.entityName shouldBe "account"
        account.attributes["name"] shouldBe "Contoso Pharmaceuticals"
        account.attributes["@search.objecttypecode"] shouldBe 1L
        account.highlights["name"] shouldBe listOf("{crmhit}Contoso{/crmhit} Pharmaceuticals")
        results.results.first { it.id == yvonne }.highlights["jobtitle"] shouldBe listOf("Buyer at {crmhit}Contoso{/crmhit}")
        results.results.map { it.score }.zipWithNext().all { (a, b) -> a >= b } shouldBe true
    }

    test("entities limit the tables, the searched columns and the returned columns (Learn: SearchEntity type)") {
        val byName = fixture.client.search.query(SearchQuery("contoso", entities = listOf(SearchEntity("account", selectColumns = listOf("name", "numberofemployees")))))
        byName.results.map { it.id } shouldContainExactlyInAnyOrder listOf(contoso, fabrikam)
        byName.results.first { it.id == fabrikam }.attributes["numberofemployees"] shouldBe 15L
        // Without searchColumns only the primary name is searched: "blue" is only in descriptions.
        fixture.client.search.query(SearchQuery("blue", entities = listOf(SearchEntity("account")))).results.shouldBeEmpty()
        val byDescription = fixture.client.search.query(SearchQuery("blue", entities = listOf(SearchEntity("account", searchColumns = listOf("description")))))
        byDescription.results.map { it.id } shouldContainExactlyInAnyOrder listOf(contoso, northwind)
        byDescription.results.first().highlights.keys shouldBe setOf("description")
    }

    test("filters apply per table and across tables") {
        val perTable = fixture.client.search.query(SearchQuery("contoso", entities = listOf(SearchEntity("account", filter = "numberofemployees gt 100"))))
        perTable.results.map { it.id } shouldBe listOf(contoso)
        val global = fixture.client.search.query(SearchQuery("contoso", filter = "numberofemployees lt 100"))
        // contact has no numberofemployees column: its records cannot satisfy the filter.
        global.results.map { it.id } shouldBe listOf(fabrikam)
    }

    test("search mode all needs every word, any needs one; simple syntax has phrases, prefixes and exclusions") {
        fixture.client.search.query(SearchQuery("contoso partners", searchMode = SearchMode.ALL)).results.map { it.id } shouldBe listOf(fabrikam)
        fixture.client.search.query(SearchQuery("contoso partners", searchMode = SearchMode.ANY)).results.map { it.id } shouldContainExactlyInAnyOrder listOf(contoso, fabrikam, yvonne)
        fixture.client.search.query(SearchQuery("\"contoso partners\"")).results.map { it.id } shouldBe listOf(fabrikam)
        fixture.client.search.query(SearchQuery("north*")).results.map { it.id } shouldBe listOf(northwind)
        fixture.client.search.query(SearchQuery("contoso -partners", searchMode = SearchMode.ALL)).results.map { it.id } shouldNotContain fabrikam
        fixture.client.search.query(SearchQuery("northwind | fabrikam")).results.map { it.id } shouldContainExactlyInAnyOrder listOf(northwind, fabrikam)
        fixture.client.search.query(SearchQuery("CONTOSO")).results.size shouldBe 3
    }

    test("lucene syntax adds keywords, fuzzy terms and regular expressions; text it cannot parse is a SearchFailedException") {
        fixture.client.search.query(SearchQuery("contoso AND NOT partners", queryType = SearchQueryType.LUCENE)).results.map { it.id } shouldContainExactlyInAnyOrder listOf(contoso, yvonne)
        fixture.client.search.query(SearchQuery("northwnd~1", queryType = SearchQueryType.LUCENE)).results.map { it.id } shouldBe listOf(northwind)
        fixture.client.search.query(SearchQuery("/[fn]or.*/", queryType = SearchQueryType.LUCENE)).results.map { it.id } shouldBe listOf(northwind)
        val error = shouldThrow<SearchFailedException> { fixture.client.search.query(SearchQuery("(contoso AND", queryType = SearchQueryType.LUCENE)) }
        error.serviceMessage!! shouldContain "Failed to parse"
        error.errorCode shouldBe "InvalidSearchSyntax"
    }

    test("facets count values and ranges of the matches (Learn: facets parameter)") {
        val results = fixture.client.search.query(
            SearchQuery(
                "contoso | northwind",
                facets = listOf("entityname", "account:numberofemployees,values:20|100", "account:revenue,interval:1000", "parentcustomerid"),
            ),
        )
        results.facets.getValue("entityname").map { it.value to it.count } shouldBe listOf("account" to 3L, "contact" to 1L)
        val ranges = results.facets.getValue("account:numberofemployees,values:20|100".substringBefore(",")).also { it.size shouldBe 3 }
        ranges.map { it.type }.toSet() shouldBe setOf(SearchFacetType.RANGE)
        ranges.map { it.count } shouldBe listOf(1L, 1L, 1L)
        ranges[1].from shouldBe 20L
        ranges[1].to shouldBe 100L
        results.facets.getValue("account:revenue").map { (it.value as Number).toLong() to it.count } shouldBe listOf(0L to 1L, 1000L to 1L, 5000L to 1L)
        val lookup = results.facets.getValue("parentcustomerid").single()
        lookup.value shouldBe contoso.toString()
        lookup.optionalValue shouldBe "Contoso Pharmaceuticals"
    }

    test("orderby, top, skip and count page through the matches") {
        val all = SearchQuery("contoso | northwind", entities = listOf(SearchEntity("account")), orderBy = listOf("numberofemployees desc"), count = true)
        fixture.client.search.query(all).results.map { it.id } shouldBe listOf(contoso, northwind, fabrikam)
        val pages = (0 until 3).map { page -> fixture.client.search.query(all.toBuilder().top(1).skip(page).build()) }
        pages.map { it.results.single().id } shouldBe listOf(contoso, northwind, fabrikam)
        pages.map { it.totalCount }.toSet() shouldBe setOf(3L)
        fixture.client.search.query(all.toBuilder().top(1).skip(3).build()).results.shouldBeEmpty()
    }

    test("the index follows writes: updated text is found at once, deleted records are gone") {
        val id = fixture.records.create("account", mapOf("name" to "Adventure Works"))
        fixture.client.search.query(SearchQuery("adventure")).results.map { it.id } shouldBe listOf(id)
        fixture.records.update("account", id, mapOf("name" to "Litware Inc"))
        fixture.client.search.query(SearchQuery("adventure")).results.shouldBeEmpty()
        fixture.client.search.query(SearchQuery("litware")).results.map { it.id } shouldBe listOf(id)
        fixture.records.delete("account", id)
        fixture.client.search.query(SearchQuery("litware")).results.shouldBeEmpty()
    }

    test("suggest returns records matching the typed prefix, with the match highlighted (Learn: suggest)") {
        val suggestions = fixture.client.search.suggest(SearchSuggestQuery("nort", top = 3))
        suggestions.single().id shouldBe northwind
        suggestions.single().entityName shouldBe "account"
        suggestions.single().text shouldBe "{crmhit}Northwind{/crmhit} Traders"
        suggestions.single().document["name"] shouldBe "Northwind Traders"
        fixture.client.search.suggest(SearchSuggestQuery("cont", top = 1)).size shouldBe 1
        fixture.client.search.suggest(SearchSuggestQuery("nortwind", fuzzy = true)).map { it.id } shouldBe listOf(northwind)
    }

    test("autocomplete completes the last word being typed (Learn: autocomplete)") {
        fixture.client.search.autocomplete(SearchAutocompleteQuery("con")) shouldBe "{crmhit}contoso{/crmhit}"
        fixture.client.search.autocomplete(SearchAutocompleteQuery("fabrikam contoso pa")) shouldBe "fabrikam contoso {crmhit}partners{/crmhit}"
        fixture.client.search.autocomplete(SearchAutocompleteQuery("zzz")) shouldBe null
    }

    test("search switched off answers the service's 0x80048d0b, for every operation") {
        fixture.emulator.searchEnabled = false
        shouldThrow<SearchDisabledException> { fixture.client.search.query(SearchQuery("contoso")) }.errorCode shouldBe "0x80048d0b"
        shouldThrow<SearchDisabledException> { fixture.client.search.suggest(SearchSuggestQuery("contoso")) }
        shouldThrow<SearchDisabledException> { fixture.client.search.autocomplete(SearchAutocompleteQuery("c")) }
    }

    test("only the searchable tables are searched; naming another one is rejected") {
        fixture.emulator.searchableTables = setOf("contact")
        fixture.client.search.query(SearchQuery("contoso")).results.map { it.id } shouldBe listOf(yvonne)
        shouldThrow<BadRequestException> { fixture.client.search.query(SearchQuery("contoso", entities = listOf(SearchEntity("account")))) }.message!! shouldContain "not enabled"
    }

    test("a column the table does not have is rejected by the service") {
        shouldThrow<BadRequestException> { fixture.client.search.query(SearchQuery("contoso", entities = listOf(SearchEntity("account", searchColumns = listOf("nosuchcolumn"))))) }
    }
})
