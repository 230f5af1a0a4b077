package dev.dataverse.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import java.net.URLDecoder

/**
 * The one pager behind every listing: exact laziness, one correlation id per listing, continuation tokens of records,
 * FetchXML and SQL, and nothing left running when a consumer stops.
 */
class PagerSpec : FunSpec({
    /** Three pages of two records, linked by `$skiptoken=2` and `=3`. */
    fun threePages() = MockDataverse { request ->
        if (!request.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
        val page = Regex("skiptoken=(\\d)").find(request.url.encodedQuery)?.groupValues?.get(1)?.toInt() ?: 1
        val next = if (page < 3) ""","@odata.nextLink":"$API/accounts?${'$'}select=name&${'$'}skiptoken=${page + 1}"""" else ""
        json("""{"value":[{"name":"p$page-1"},{"name":"p$page-2"}]$next}""")
    }
    val options = ListOptions(select = listOf("name"), pageSize = 2)

    test("a page is requested only when the consumer asks for it, by a collector or a cursor") {
        threePages().use { mock ->
            val pager = mock.client.records.pager("account", options)
            pager.records().take(2).toList() shouldHaveSize 2
            mock.dataRequests shouldHaveSize 1
            pager.records().take(3).toList() shouldHaveSize 3
            mock.dataRequests shouldHaveSize 3

            val cursor = pager.cursor()
            mock.dataRequests shouldHaveSize 3
            cursor.next().records shouldHaveSize 2
            mock.dataRequests shouldHaveSize 4
            cursor.hasNext shouldBe true
            cursor.continuationToken!! shouldContain "skiptoken=2"
            mock.dataRequests shouldHaveSize 4
            cursor.next()
            cursor.next().continuationToken shouldBe null
            cursor.hasNext shouldBe false
            shouldThrow<NoSuchElementException> { cursor.next() }
            mock.dataRequests shouldHaveSize 6
        }
    }

    test("all requests of one listing share one correlation id; another listing has its own") {
        threePages().use { mock ->
            val pager = mock.client.records.pager("account", options)
            pager.pages().toList() shouldHaveSize 3
            val first = mock.dataRequests.map { it.headers["x-ms-correlation-id"] }
            first.toSet() shouldHaveSize 1
            val cursor = pager.cursor()
            while (cursor.hasNext) cursor.next()
            val second = mock.dataRequests.drop(3).map { it.headers["x-ms-correlation-id"] }
            second.toSet() shouldBe setOf(cursor.correlationId)
            cursor.correlationId shouldNotBe first[0]
        }
    }

    test("a listing resumes from a page's continuation token; a token of another table or host is refused before sending") {
        threePages().use { mock ->
            val pager = mock.client.records.pager("account", options)
            val token = pager.cursor().next().continuationToken!!
            pager.records(token).map { it.getString("name") }.toList() shouldContainExactly listOf("p2-1", "p2-2", "p3-1", "p3-2")
            val sent = mock.dataRequests.size
            shouldThrow<InvalidInputException> { pager.pages("$API/contacts?\$skiptoken=2").toList() }
            shouldThrow<InvalidInputException> { pager.pages("https://evil.example/api/data/v9.2/accounts?\$skiptoken=2").toList() }
            mock.dataRequests shouldHaveSize sent
        }
    }

    test("cancelling a collection while a page is in flight cancels that request and leaves no coroutine running") {
        val inFlight = CompletableDeferred<Unit>()
        val aborted = CompletableDeferred<Unit>()
        MockDataverse { request ->
            if (!request.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            if ("skiptoken" in request.url.encodedQuery) {
                inFlight.complete(Unit)
                try {
                    awaitCancellation()
                } finally {
                    aborted.complete(Unit)
                }
            }
            json("""{"value":[{"name":"a"},{"name":"b"}],"@odata.nextLink":"$API/accounts?${'$'}skiptoken=2"}""")
        }.use { mock ->
            coroutineScope {
                val received = mutableListOf<String?>()
                val listing = launch(start = CoroutineStart.UNDISPATCHED) {
                    mock.client.records.list("account", options).collect { received += it.getString("name") }
                }
                inFlight.await()
                listing.cancel()
                listing.join()
                aborted.await() // the exchange of the second page was cancelled, not left to finish
                received shouldContainExactly listOf("a", "b")
                listing.isCancelled shouldBe true
                coroutineContext.job.children.none { it.isActive } shouldBe true
            }
            mock.dataRequests shouldHaveSize 2
        }
    }

    test("FetchXML tokens carry the page and the paging cookie; resuming sends them, and a token of another entity is refused") {
        val fetch = """<fetch><entity name="account"><attribute name="name"/></entity></fetch>"""
        val sent = mutableListOf<String>()
        MockDataverse { request ->
            if (!request.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            val xml = URLDecoder.decode(request.url.encodedQuery.substringAfter("fetchXml="), Charsets.UTF_8)
            sent += xml
            val page = Regex("page=\"(\\d+)\"").find(xml)!!.groupValues[1].toInt()
            val cookie = "<cookie pagenumber=\\\"${page + 1}\\\" pagingcookie=\\\"%253ccookie%2520page%253d%2522$page%2522%253e%253c%252fcookie%253e\\\" />"
            json("""{"@Microsoft.Dynamics.CRM.fetchxmlpagingcookie":"$cookie","@Microsoft.Dynamics.CRM.morerecords":${page < 3},"value":[{"name":"p$page"}]}""")
        }.use { mock ->
            val pager = mock.client.query.fetchXmlPager(fetch, pageSize = 1)
            val pages = pager.pages().toList()
            pages.map { it.records.single().getString("name") } shouldContainExactly listOf("p1", "p2", "p3")
            val token = pages[0].continuationToken!!
            token shouldStartWith "fetchxml:account:"
            token.split(':')[3] shouldBe "2"
            pages[2].continuationToken shouldBe null

            sent.clear()
            pager.records(token).map { it.getString("name") }.toList() shouldContainExactly listOf("p2", "p3")
            sent[0] shouldContain "page=\"2\""
            sent[0] shouldContain "paging-cookie=\"&lt;cookie page=&quot;1&quot;&gt;&lt;/cookie&gt;\""

            val before = mock.requests.size
            val other = mock.client.query.fetchXmlPager("""<fetch><entity name="contact"><attribute name="lastname"/></entity></fetch>""")
            shouldThrow<InvalidInputException> { other.pages(token).toList() }
            shouldThrow<InvalidInputException> { pager.pages("fetchxml:account:one").toList() }
            shouldThrow<InvalidInputException> { pager.pages(token.replace(Regex("^fetchxml:account:[0-9a-f]{16}:"), "fetchxml:account:")).toList() }
            mock.requests shouldHaveSize before
        }
    }

    test("a FetchXML paging cookie the service repeats fails the listing instead of paging forever") {
        val fetch = """<fetch><entity name="account"><attribute name="name"/></entity></fetch>"""
        MockDataverse { request ->
            if (!request.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            val cookie = "<cookie pagenumber=\\\"2\\\" pagingcookie=\\\"%253ccookie%2520page%253d%25221%2522%253e%253c%252fcookie%253e\\\" />"
            json("""{"@Microsoft.Dynamics.CRM.fetchxmlpagingcookie":"$cookie","@Microsoft.Dynamics.CRM.morerecords":true,"value":[{"name":"x"}]}""")
        }.use { mock ->
            shouldThrow<MalformedResponseException> { mock.client.query.fetchXml(fetch, pageSize = 1).collect() }.message shouldContain "paging cookie"
            mock.dataRequests shouldHaveSize 2
        }
    }

    test("SQL tokens are the service's next links: resuming follows one, a foreign one is refused before sending") {
        MockDataverse { request ->
            when {
                !request.url.encodedPath.endsWith("/accounts") -> null
                "skiptoken" in request.url.encodedQuery -> json("""{"value":[{"name":"b"}]}""")
                else -> json("""{"value":[{"name":"a"}],"@odata.nextLink":"$API/accounts?${'$'}skiptoken=2"}""")
            }
        }.use { mock ->
            val pager = mock.client.query.sqlPager("SELECT name FROM account")
            val token = pager.cursor().next().continuationToken!!
            pager.records(token).map { it.getString("name") }.toList() shouldContainExactly listOf("b")
            val before = mock.requests.size
            shouldThrow<InvalidInputException> { pager.pages("$API/contacts?\$skiptoken=2").toList() }
            // Another statement on the same table: the link would read the first statement's rows.
            shouldThrow<InvalidInputException> { mock.client.query.sqlPager("SELECT accountid FROM account").pages(token).toList() }
                .message shouldContain "SQL text"
            shouldThrow<InvalidInputException> { pager.pages(token.substringBefore('#')).toList() }.message shouldContain "no query fingerprint"
            mock.requests shouldHaveSize before
        }
    }
})
