package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonObject

class QuerySpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(maxPageSize = 50))
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    fun q(text: String) = TestClient.encode(text)

    suspend fun seed(count: Int): List<String> = (1..count).map { index ->
        client.create("accounts", """{"name":"Account ${index.toString().padStart(3, '0')}","numberofemployees":${index % 7},"accountnumber":"N$index"}""")
    }

    suspend fun readAll(firstPath: String, pageSize: Int, pages: MutableList<TestResponse> = mutableListOf()): List<JsonObject> {
        val prefer = mapOf("Prefer" to "odata.maxpagesize=$pageSize")
        var response = client.get(firstPath, prefer)
        val rows = mutableListOf<JsonObject>()
        while (true) {
            response.status shouldBe 200
            pages += response
            rows += response.values
            val next = response.json.text("@odata.nextLink") ?: return rows
            response = client.get(next, prefer)
        }
    }

    test("paging with odata.maxpagesize returns every row exactly once, with absolute next links and none on the last page") {
        val ids = seed(23)
        val pages = mutableListOf<TestResponse>()
        val rows = readAll("accounts?\$select=name", 5, pages)
        rows.map { it.text("accountid") } shouldContainExactlyInAnyOrder ids
        rows.map { it.text("accountid")!! } shouldBe rows.map { it.text("accountid")!! }.sorted()
        pages.map { it.values.size } shouldContainExactly listOf(5, 5, 5, 5, 3)
        pages.first().headers["Preference-Applied"] shouldBe "odata.maxpagesize=5"
        val nextLink = pages.first().json.text("@odata.nextLink")!!
        nextLink shouldStartWith "${emulator.apiUrl}/accounts?\$select=name&\$skiptoken="
        nextLink.substringAfter("\$skiptoken=") shouldStartWith "%3Ccookie"
        pages.last().json.containsKey("@odata.nextLink") shouldBe false
    }

    test("paging stays exact when rows are added and removed between pages") {
        seed(10)
        val prefer = mapOf("Prefer" to "odata.maxpagesize=4")
        val first = client.get("accounts?\$select=name&\$orderby=name", prefer)
        val seen = first.values.map { it.text("name")!! }.toMutableList()
        client.create("accounts", """{"name":"Account 000"}""")
        client.create("accounts", """{"name":"Account 999"}""")
        client.delete("accounts(accountnumber='N10')")
        var next = first.json.text("@odata.nextLink")
        while (next != null) {
            val page = client.get(next, prefer)
            seen += page.values.map { it.text("name")!! }
            next = page.json.text("@odata.nextLink")
        }
        seen shouldBe seen.distinct()
        seen shouldContainExactly (1..9).map { "Account ${it.toString().padStart(3, '0')}" } + "Account 999"
    }

    test("the page size defaults to maxPageSize and larger requests are capped") {
        seed(60)
        client.get("accounts?\$select=name").values shouldHaveSize 50
        val capped = client.get("accounts?\$select=name", mapOf("Prefer" to "odata.maxpagesize=500"))
        capped.values shouldHaveSize 50
        capped.headers["Preference-Applied"] shouldBe "odata.maxpagesize=50"
    }

    // Learn: webapi/query/page-results and query/overview "Limit the number of rows": don't use $top with paging;
    // with odata.maxpagesize the service pages and $top no longer caps the rows.
    test("page-results: \$top alone caps the rows; with odata.maxpagesize it does not") {
        seed(12)
        client.get("accounts?\$select=name&\$top=7").values shouldHaveSize 7
        client.get("accounts?\$select=name&\$top=7").json.text("@odata.nextLink") shouldBe null
        val pages = mutableListOf<TestResponse>()
        val rows = readAll("accounts?\$select=name&\$top=7", 3, pages)
        rows shouldHaveSize 12
        pages.map { it.values.size } shouldContainExactly listOf(3, 3, 3, 3)
        client.get("accounts?\$top=0").values shouldHaveSize 0
        client.get("accounts?\$top=-1").status shouldBe 400
    }

    // Learn: webapi/query/count-rows: /$count answers the number as text/plain.
    test("count-rows: {set}/\$count answers text/plain, with \$filter") {
        seed(9)
        val all = client.get("accounts/\$count")
        all.status shouldBe 200
        all.headers["Content-Type"]!! shouldStartWith "text/plain"
        all.text shouldBe "9"
        client.get("accounts/\$count?\$filter=${q("numberofemployees ge 3")}").text shouldBe "4"
    }

    test("\$count counts every matching row, not just the page") {
        seed(9)
        val response = client.get("accounts?\$select=name&\$count=true&\$filter=${q("numberofemployees ge 3")}", mapOf("Prefer" to "odata.maxpagesize=2"))
        response.json.text("@odata.count") shouldBe "4"
        response.values shouldHaveSize 2
        client.get("accounts?\$count=false").json.containsKey("@odata.count") shouldBe false
        client.get("accounts?\$count=maybe").status shouldBe 400
    }

    test("\$orderby with several columns, ascending and descending, nulls first ascending") {
        client.create("accounts", """{"name":"b","numberofemployees":2}""")
        client.create("accounts", """{"name":"a","numberofemployees":2}""")
        client.create("accounts", """{"name":"c","numberofemployees":1}""")
        client.create("accounts", """{"name":"d"}""")
        val ascending = client.get("accounts?\$select=name&\$orderby=${q("numberofemployees asc,name desc")}").values.map { it.text("name") }
        ascending shouldContainExactly listOf("d", "c", "b", "a")
        val descending = client.get("accounts?\$select=name&\$orderby=${q("numberofemployees desc,name")}").values.map { it.text("name") }
        descending shouldContainExactly listOf("a", "b", "c", "d")
        client.get("accounts?\$orderby=bogus").status shouldBe 400
    }

    test("paging through an ordered query keeps the order across pages") {
        seed(15)
        val rows = readAll("accounts?\$select=name,numberofemployees&\$orderby=${q("numberofemployees desc,name")}", 4)
        rows shouldHaveSize 15
        val keys = rows.map { it.text("numberofemployees")!!.toInt() to it.text("name")!! }
        keys shouldBe keys.sortedWith(compareByDescending<Pair<Int, String>> { it.first }.thenBy { it.second })
    }

    test("\$filter over HTTP: comparisons, functions, case-insensitive text, lookups, null and dates") {
        val contact = client.create("contacts", """{"lastname":"Boss"}""")
        client.create("accounts", """{"name":"Contoso Ltd","revenue":100,"primarycontactid@odata.bind":"/contacts($contact)"}""")
        client.create("accounts", """{"name":"O'Neil & Sons","revenue":250.5}""")
        client.create("accounts", """{"name":"Fabrikam"}""")
        suspend fun names(filter: String) = client.get("accounts?\$select=name&\$orderby=name&\$filter=${q(filter)}").values.map { it.text("name") }
        names("contains(name,'o''neil')") shouldContainExactly listOf("O'Neil & Sons")
        names("name eq 'CONTOSO LTD'") shouldContainExactly listOf("Contoso Ltd")
        names("revenue gt 100") shouldContainExactly listOf("O'Neil & Sons")
        names("revenue ne 100") shouldContainExactly listOf("O'Neil & Sons")
        names("revenue eq null") shouldContainExactly listOf("Fabrikam")
        names("not (revenue ge 100)") shouldContainExactly emptyList()
        names("_primarycontactid_value eq $contact") shouldContainExactly listOf("Contoso Ltd")
        names("startswith(name,'fab') or endswith(name,'LTD')") shouldContainExactly listOf("Contoso Ltd", "Fabrikam")
        names("createdon ge 2000-01-01T00:00:00Z and statecode eq 0") shouldHaveSize 3
    }

    test("\$filter errors: unknown property, incompatible literal, bad syntax") {
        val unknown = client.get("accounts?\$filter=${q("bogus eq 1")}")
        unknown.status shouldBe 400
        unknown.errorMessage shouldBe "Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.account'."
        val incompatible = client.get("accounts?\$filter=${q("numberofemployees eq 'many'")}")
        incompatible.status shouldBe 400
        incompatible.errorMessage shouldContain "incompatible types"
        val syntax = client.get("accounts?\$filter=${q("name eq")}")
        syntax.status shouldBe 400
        syntax.errorCode shouldBe "0x80060888"
    }

    test("query strings work percent-encoded, raw and with + for spaces") {
        client.create("accounts", """{"name":"A B+C"}""")
        client.get("accounts?%24select=name&%24filter=name%20eq%20'A%20B%2BC'").values shouldHaveSize 1
        client.get("accounts?\$select=name&\$filter=name+eq+'A+B%2BC'").values shouldHaveSize 1
    }

    test("\$skip and \$apply are rejected; a forged skiptoken is a 400") {
        client.get("accounts?\$skip=10").status shouldBe 400
        client.get("accounts?\$apply=aggregate(revenue%20with%20sum%20as%20total)").status shouldBe 400
        client.get("accounts?\$skiptoken=garbage").status shouldBe 400
        client.get("accounts?\$search=x").status shouldBe 400
    }

    test("collection context and expanded lookups in lists") {
        val contact = client.create("contacts", """{"firstname":"Li","lastname":"Wei"}""")
        client.create("accounts", """{"name":"Expanded","primarycontactid@odata.bind":"/contacts($contact)"}""")
        client.create("accounts", """{"name":"Plain"}""")
        val response = client.get("accounts?\$select=name&\$orderby=name&\$expand=primarycontactid(\$select=fullname)")
        response.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#accounts(name,primarycontactid(fullname))"
        val rows = response.values
        (rows[0]["primarycontactid"] as JsonObject).text("fullname") shouldBe "Li Wei"
        rows[1]["primarycontactid"].toString() shouldBe "null"
        rows[0].text("@odata.etag") shouldNotBe null
    }
})
