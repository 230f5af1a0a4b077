package dev.dataverse.internal

import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import java.net.URLDecoder

class QuerySpec : FunSpec({
    val fetch = """<fetch><entity name="account"><attribute name="name"/></entity></fetch>"""
    fun rows(page: Int) = (1..2).joinToString(",") { """{"name":"p$page-$it"}""" }
    fun fetchXmlOf(url: io.ktor.http.Url) = URLDecoder.decode(url.encodedQuery.substringAfter("fetchXml="), Charsets.UTF_8)

    test("FetchXML pages follow the paging cookie, decoded twice, until morerecords is false") {
        val sent = mutableListOf<String>()
        MockDataverse {
            if (!it.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            val xml = fetchXmlOf(it.url)
            sent += xml
            it.headers["Prefer"]!! shouldContain "Microsoft.Dynamics.CRM.fetchxmlpagingcookie"
            val page = Regex("page=\"(\\d+)\"").find(xml)!!.groupValues[1].toInt()
            val more = page < 4
            val cookie = "<cookie pagenumber=\\\"${page + 1}\\\" pagingcookie=\\\"%253ccookie%2520page%253d%2522$page%2522%253e%253c%252fcookie%253e\\\" istracking=\\\"False\\\" />"
            json("""{"@Microsoft.Dynamics.CRM.fetchxmlpagingcookie":"$cookie","@Microsoft.Dynamics.CRM.morerecords":$more,"value":[${rows(page)}]}""")
        }.use { mock ->
            val names = mock.client.query.fetchXml(fetch, pageSize = 2).map { it.getString("name") }.toList()
            names shouldBe (1..4).flatMap { p -> listOf("p$p-1", "p$p-2") }
            sent shouldHaveSize 4
            sent[0] shouldContain "count=\"2\""
            sent[0].contains("paging-cookie") shouldBe false
            sent[1] shouldContain "paging-cookie=\"&lt;cookie page=&quot;1&quot;&gt;&lt;/cookie&gt;\""
            sent[3] shouldContain "page=\"4\""
        }
    }

    test("without a cookie, FetchXML pages by number alone; collection stops fetching when the collector stops") {
        val pages = mutableListOf<Int>()
        MockDataverse {
            if (!it.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            val page = Regex("page=\"(\\d+)\"").find(fetchXmlOf(it.url))!!.groupValues[1].toInt()
            pages += page
            json("""{"@Microsoft.Dynamics.CRM.morerecords":true,"value":[${rows(page)}]}""")
        }.use { mock ->
            mock.client.query.fetchXml(fetch, pageSize = 2).take(5).toList() shouldHaveSize 5
            pages shouldBe listOf(1, 2, 3)
        }
    }

    test("SQL runs through ?sql= and follows next links; writes are refused before sending") {
        MockDataverse {
            when {
                !it.url.encodedPath.endsWith("/accounts") -> null
                "skiptoken" in it.url.encodedQuery -> json("""{"value":[{"name":"b"}]}""")
                else -> {
                    URLDecoder.decode(it.url.encodedQuery.substringAfter("sql="), Charsets.UTF_8) shouldBe "SELECT name FROM account"
                    json("""{"value":[{"name":"a"}],"@odata.nextLink":"$API/accounts?${'$'}skiptoken=2"}""")
                }
            }
        }.use { mock ->
            mock.client.query.sql("SELECT name FROM account").map { it.getString("name") }.toList() shouldBe listOf("a", "b")
            val before = mock.requests.size
            shouldThrow<InvalidInputException> { mock.client.query.sql("DELETE FROM account").toList() }
            shouldThrow<InvalidInputException> { mock.client.query.fetchXml("<fetch/>").toList() }
            shouldThrow<InvalidInputException> { mock.client.query.fetchXml(fetch, pageSize = 0).toList() }
            mock.requests.size shouldBe before
        }
    }

    test("count asks for one row and reads the total and the cap") {
        MockDataverse {
            when {
                it.url.encodedPath.endsWith("/Attributes") -> json("""{"value":[{"LogicalName":"statecode"},{"LogicalName":"accountid"}]}""")
                it.url.encodedPath.endsWith("/accounts") -> {
                    // Learn: webapi/query/count-rows: the count annotations come only when asked for.
                    it.headers["Prefer"] shouldBe "odata.maxpagesize=1,odata.include-annotations=" +
                        "\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\""
                    it.url.encodedQuery shouldContain "\$count=true"
                    it.url.encodedQuery shouldContain "\$filter=statecode%20eq%200"
                    json("""{"@odata.count":5000,"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded":true,"value":[{"accountid":"00000000-0000-0000-0000-000000000001"}]}""")
                }
                else -> null
            }
        }.use { mock ->
            val count = mock.client.query.count("account", Filter.eq("statecode", 0))
            count.count shouldBe 5000
            count.isCapped shouldBe true
        }
    }

    test("a typed filter naming a column the table does not have fails before the query is sent") {
        MockDataverse {
            when {
                it.url.encodedPath.endsWith("/Attributes") -> json("""{"value":[{"LogicalName":"name"},{"LogicalName":"primarycontactid"}]}""")
                it.url.encodedPath.endsWith("/accounts") -> json("""{"value":[]}""")
                else -> null
            }
        }.use { mock ->
            shouldThrow<InvalidInputException> { mock.client.records.list("account", ListOptions(filter = Filter.eq("nmae", "x"))).toList() }
                .message shouldContain "'nmae'"
            mock.requests.none { it.url.encodedPath.endsWith("/accounts") } shouldBe true
            mock.client.records.list("account", ListOptions(filter = Filter.eq("_primarycontactid_value", null) and Filter.eq("name", "x"))).toList()
            mock.requests.count { it.url.encodedPath.endsWith("/accounts") } shouldBe 1
            mock.requests.count { it.url.encodedPath.endsWith("/Attributes") } shouldBe 1
        }
    }
})
