package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.Expand
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList

/**
 * A continuation token belongs to the query that issued it. The service's next link carries that query (Learn: "Page
 * results using OData": the `@odata.nextLink` of `contacts?$select=fullname` is `contacts?$select=fullname&$skiptoken=…`),
 * so a token handed back with other options would read the old query's rows: the client refuses it before sending.
 */
class ContinuationTokenIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val names = (1..12).map { "Token %02d".format(it) }

    beforeSpec {
        names.forEach { fixture.records.create("account", mapOf("name" to it, "numberofemployees" to it.takeLast(2).toInt())) }
    }
    val options = ListOptions(select = listOf("name"), filter = Filter.raw("startswith(name,'Token')"), orderBy = listOf("name"), pageSize = 5)

    test("a token resumes the same query, and the same query with annotations asked for (they do not change the rows)") {
        val first = fixture.records.page("account", options)
        fixture.records.page("account", options, first.continuationToken).records.map { it.getString("name") } shouldContainExactly names.subList(5, 10)
        fixture.records.page("account", options.toBuilder().includeAnnotations(true).build(), first.continuationToken)
            .records.map { it.getString("name") } shouldContainExactly names.subList(5, 10)
    }

    test("a token used with another filter, select, order, expand, top, count or page size is refused before anything is sent") {
        val token = fixture.records.page("account", options).continuationToken!!
        val others = mapOf(
            "filter" to options.toBuilder().filter(Filter.gt("numberofemployees", 6)).build(),
            "select" to options.toBuilder().select("name", "numberofemployees").build(),
            "orderBy" to options.toBuilder().orderBy("name desc").build(),
            "expand" to options.toBuilder().expand(Expand("primarycontactid", select = listOf("fullname"))).build(),
            "top" to options.toBuilder().top(8).build(),
            "count" to options.toBuilder().count(true).build(),
            "pageSize" to options.toBuilder().pageSize(4).build(),
        )
        others.forEach { (changed, other) ->
            withClue(changed) {
                var error: InvalidInputException? = null
                fixture.requestsDuring { error = shouldThrow<InvalidInputException> { fixture.records.page("account", other, token) } } shouldBe 0
                error!!.message shouldContain "another query"
                error!!.message shouldContain "Pass the same options"
                // The pager and the flow check the same way.
                shouldThrow<InvalidInputException> { fixture.records.pager("account", other).pages(token).toList() }
            }
        }
    }

    test("a row-limited listing's token keeps both its limit and its query") {
        val limited = options.toBuilder().top(7).build()
        val first = fixture.records.page("account", limited)
        fixture.records.page("account", limited, first.continuationToken).records.map { it.getString("name") } shouldContainExactly names.subList(5, 7)
        shouldThrow<InvalidInputException> { fixture.records.page("account", options, first.continuationToken) }.message shouldContain "another query"
    }

    test("a token without the client's query fingerprint (the bare next link of an earlier version) is refused, saying to start again") {
        val token = fixture.records.page("account", options).continuationToken!!
        val bare = token.substringBefore('#')
        fixture.requestsDuring {
            shouldThrow<InvalidInputException> { fixture.records.page("account", options, bare) }.message shouldContain "Start the listing again"
            shouldThrow<InvalidInputException> { fixture.records.page("account", options, "$bare#top=3") }.message shouldContain "no query fingerprint"
        } shouldBe 0
    }

    test("a token of another table is refused as such") {
        val token = fixture.records.page("account", options).continuationToken!!
        shouldThrow<InvalidInputException> { fixture.records.page("contact", ListOptions(pageSize = 5), token) }.message shouldContain "same table"
    }

    test("a token used through a client of another host is refused naming the hosts, not the table or the query") {
        val token = fixture.records.page("account", options).continuationToken!!
        val host = if ("127.0.0.1" in fixture.emulator.baseUrl) "localhost" else "127.0.0.1"
        val otherUrl = fixture.emulator.baseUrl.replace(Regex("//[^:/]+"), "//$host")
        DataverseClient {
            environmentUrl(otherUrl)
            token("test-token")
        }.use { other ->
            val error = fixture.requestsDuring {
                val e = shouldThrow<InvalidInputException> { other.records.page("account", options, token) }
                e.message shouldContain "this client is connected to"
                e.message shouldContain host
                e.message shouldContain "environment"
                e.message shouldNotContain "table"
                e.message shouldNotContain "query"
            }
            error shouldBe 0
        }
    }

    test("a FetchXML token is refused with another FetchXML text or page size, and resumes with the same") {
        val fetch = """<fetch><entity name="account"><attribute name="name"/><filter><condition attribute="name" operator="like" value="Token%"/></filter><order attribute="name"/></entity></fetch>"""
        val token = fixture.client.query.fetchXmlPager(fetch, pageSize = 5).cursor().next().continuationToken!!
        fixture.client.query.fetchXmlPager(fetch, pageSize = 5).records(token).map { it.getString("name") }.toList() shouldContainExactly names.drop(5)
        fixture.requestsDuring {
            shouldThrow<InvalidInputException> { fixture.client.query.fetchXmlPager(fetch, pageSize = 4).pages(token).toList() }.message shouldContain "page size"
            val other = fetch.replace("Token%", "Tok%")
            shouldThrow<InvalidInputException> { fixture.client.query.fetchXmlPager(other, pageSize = 5).pages(token).toList() }.message shouldContain "another query"
        } shouldBe 0
    }
})
