package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain

class FetchXmlAndSqlSpec : FunSpec({
    val fetch = """<fetch version="1.0"><entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>"""

    test("the root entity and the page attributes") {
        val query = FetchXml.parse(fetch)
        query.entityName shouldBe "account"
        query.isPageable shouldBe true
        val page2 = query.forPage(2, 50, "<cookie page=\"1\"><accountid last=\"{A}\" first=\"{B}\" /></cookie>")
        page2 shouldContain "page=\"2\""
        page2 shouldContain "count=\"50\""
        page2 shouldContain "paging-cookie=\"&lt;cookie page=&quot;1&quot;&gt;"
        FetchXml.parse(page2).forPage(3, 50, null) shouldNotContain "paging-cookie"
    }

    test("aggregate and top queries are not paged") {
        FetchXml.parse("""<fetch aggregate="true"><entity name="account"><attribute name="revenue" aggregate="sum" alias="total"/></entity></fetch>""").isPageable shouldBe false
        FetchXml.parse("""<fetch top="5"><entity name="account"/></fetch>""").isPageable shouldBe false
    }

    test("the service's paging cookie annotation is decoded twice into the inner cookie") {
        val annotation = "<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522%253e%253caccountid%2520last%253d%2522%257b0748C6EC-55A8-EB11-B1B5-000D3AFEF6FA%257d%2522%2520first%253d%2522%257bFC47C6EC-55A8-EB11-B1B5-000D3AFEF6FA%257d%2522%2520%252f%253e%253c%252fcookie%253e\" istracking=\"False\" />"
        FetchXml.innerPagingCookie(annotation) shouldBe
            "<cookie page=\"1\"><accountid last=\"{0748C6EC-55A8-EB11-B1B5-000D3AFEF6FA}\" first=\"{FC47C6EC-55A8-EB11-B1B5-000D3AFEF6FA}\" /></cookie>"
        FetchXml.innerPagingCookie(null) shouldBe null
        FetchXml.innerPagingCookie("<cookie pagenumber=\"2\" istracking=\"False\" />") shouldBe null
    }

    test("bad FetchXML fails before sending, and DTDs (XXE) are refused") {
        shouldThrow<InvalidInputException> { FetchXml.parse("<fetch><entity name=\"account\">") }.message shouldContain "well-formed"
        shouldThrow<InvalidInputException> { FetchXml.parse("<query/>") }.message shouldContain "<fetch>"
        shouldThrow<InvalidInputException> { FetchXml.parse("<fetch><attribute/></fetch>") }.message shouldContain "<entity"
        shouldThrow<InvalidInputException> { FetchXml.parse("<fetch><entity name=\"a/b\"/></fetch>") }
        shouldThrow<InvalidInputException> {
            FetchXml.parse("""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><fetch><entity name="account">&e;</entity></fetch>""")
        }
        shouldThrow<InvalidInputException> { FetchXml.parse(" ") }
    }

    test("SQL: a single SELECT names its table") {
        SqlQueries.requireReadOnly("SELECT name FROM account WHERE name = 'x'") shouldBe "account"
        SqlQueries.requireReadOnly("  select a.name, c.fullname from Account a join contact c on c.parentcustomerid = a.accountid;") shouldBe "account"
        SqlQueries.requireReadOnly("SELECT name FROM [account] WHERE name = 'DELETE FROM x; DROP'") shouldBe "account"
        SqlQueries.requireReadOnly("SELECT COUNT(*) FROM contact -- DELETE\n") shouldBe "contact"
    }

    test("SQL: writes, several statements and missing tables are refused") {
        for (sql in listOf(
            "DELETE FROM account", "UPDATE account SET name = 'x'", "INSERT INTO account (name) VALUES ('x')",
            "SELECT name INTO copy FROM account", "SELECT 1 FROM account; DROP TABLE account", "DROP TABLE account",
            "EXEC sp_who", "SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x", "", "SELECTname FROM account",
            "SELECT name FROM account /* */ ; DELETE FROM account",
        )) {
            shouldThrow<InvalidInputException> { SqlQueries.requireReadOnly(sql) }
        }
    }

    // Learn: webapi/query/sql ("Use SQL to query data", preview) lists what the service refuses.
    test("SQL: what the service refuses is refused before sending, naming the construct") {
        mapOf(
            "SELECT * FROM account" to "SELECT *",
            "SELECT a.* FROM account a" to "SELECT *",
            "SELECT name FROM account ORDER BY name OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY" to "OFFSET",
            "SELECT a.name FROM account a RIGHT JOIN contact c ON c.parentcustomerid = a.accountid" to "join",
            "SELECT a.name FROM account a CROSS JOIN contact c" to "join",
            "SELECT name, COUNT(*) FROM account GROUP BY name HAVING COUNT(*) > 1" to "HAVING",
            "SELECT name FROM account UNION SELECT fullname FROM contact" to "UNION",
            "SELECT name FROM account WHERE EXISTS (SELECT contactid FROM contact)" to "EXISTS",
            "SELECT name FROM account WHERE accountid IN (SELECT parentcustomerid FROM contact)" to "subquery",
        ).forEach { (sql, named) ->
            shouldThrow<InvalidInputException> { SqlQueries.requireReadOnly(sql) }.message shouldContain named
        }
    }

    test("SQL: aggregates, DISTINCT, INNER and LEFT joins and words inside literals stay allowed") {
        SqlQueries.requireReadOnly("SELECT COUNT(*), MAX(revenue) FROM account GROUP BY statecode") shouldBe "account"
        SqlQueries.requireReadOnly("SELECT DISTINCT name FROM account") shouldBe "account"
        SqlQueries.requireReadOnly("SELECT a.name FROM account a LEFT OUTER JOIN contact c ON c.parentcustomerid = a.accountid") shouldBe "account"
        SqlQueries.requireReadOnly("SELECT name FROM account WHERE name = 'SELECT * TOP UNION'") shouldBe "account"
    }

    test("SQL: TOP is left to the service, since Learn's pages disagree on it (Web API page: unsupported; SDK for Python page: used)") {
        SqlQueries.requireReadOnly("SELECT TOP 10 name FROM account") shouldBe "account"
    }
})
