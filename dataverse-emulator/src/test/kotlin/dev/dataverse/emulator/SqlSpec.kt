package dev.dataverse.emulator

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith

class SqlSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    // One data set for the whole spec, which only reads it.
    lateinit var ada: String
    lateinit var alan: String
    beforeSpec {
        ada = client.create("contacts", """{"firstname":"Ada","lastname":"Lovelace"}""")
        alan = client.create("contacts", """{"firstname":"Alan","lastname":"Turing"}""")
        client.create("accounts", """{"name":"Alpha","numberofemployees":10,"revenue":100.5,"creditonhold":true,"industrycode":1,"primarycontactid@odata.bind":"/contacts($alan)"}""")
        client.create("accounts", """{"name":"Beta","numberofemployees":20,"revenue":200,"creditonhold":false,"industrycode":2,"primarycontactid@odata.bind":"/contacts($ada)"}""")
        client.create("accounts", """{"name":"Gamma","numberofemployees":30,"industrycode":2}""")
        client.create("accounts", """{"name":"delta","revenue":400,"creditonhold":false}""")
        client.create("accounts", """{"name":"Epsilon's","numberofemployees":50,"revenue":500,"creditonhold":true,"industrycode":1}""")
    }

    suspend fun rows(sql: String, headers: Map<String, String> = emptyMap()): TestResponse {
        val response = client.sql("accounts", sql, headers)
        response.status shouldBe 200
        return response
    }

    test("SELECT columns FROM table returns only those columns, under their property names") {
        val values = rows("SELECT name, primarycontactid FROM account ORDER BY name").values
        values.map { it.text("name") } shouldContainExactly listOf("Alpha", "Beta", "delta", "Epsilon's", "Gamma")
        values.first().keys.filterNot { it.startsWith("@") } shouldContainExactly listOf("name", "_primarycontactid_value")
        values.first().text("_primarycontactid_value") shouldBe alan
        values[2].containsKey("_primarycontactid_value") shouldBe true // SQL rows keep null columns
    }

    // Learn: webapi/query/sql: aliased columns come back with @OData.Community.Display.V1.AttributeName.
    test("sql: AS renames and the aliased column names its attribute; ORDER BY DESC") {
        val renamed = rows("SELECT name AS title, numberofemployees AS staff FROM account WHERE numberofemployees > 25 ORDER BY numberofemployees DESC").values
        renamed.map { it.text("title") to it.text("staff") } shouldContainExactly listOf("Epsilon's" to "50", "Gamma" to "30")
        renamed.first().text("title@OData.Community.Display.V1.AttributeName") shouldBe "name"
        renamed.first().text("staff@OData.Community.Display.V1.AttributeName") shouldBe "numberofemployees"
        rows("SELECT name FROM [account] ORDER BY [name] ASC").values.first().keys.none { it.endsWith("AttributeName") } shouldBe true
    }

    // Learn: webapi/query/sql: SELECT * and TOP are refused (page with odata.maxpagesize).
    test("sql: SELECT * and TOP are a 400") {
        for ((sql, named) in listOf(
            "SELECT * FROM account" to "SELECT *",
            "SELECT TOP 2 name FROM account" to "TOP",
            "SELECT TOP (1) name FROM account" to "TOP",
            "SELECT name FROM account ORDER BY name OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY" to "OFFSET",
        )) {
            val response = client.sql("accounts", sql)
            withClue(sql) {
                response.status shouldBe 400
                response.errorMessage shouldContain named
            }
        }
    }

    context("WHERE conditions") {
        withData(
            nameFn = { it.first },
            "= on text, case-insensitive" to ("name = 'ALPHA'" to listOf("Alpha")),
            "<> skips nulls" to ("numberofemployees <> 20" to listOf("Alpha", "Epsilon's", "Gamma")),
            "not equal as !=" to ("numberofemployees != 20" to listOf("Alpha", "Epsilon's", "Gamma")),
            "<" to ("numberofemployees < 20" to listOf("Alpha")),
            "<=" to ("numberofemployees <= 20" to listOf("Alpha", "Beta")),
            ">" to ("revenue > 200" to listOf("delta", "Epsilon's")),
            ">= with a decimal" to ("revenue >= 100.5" to listOf("Alpha", "Beta", "delta", "Epsilon's")),
            "a literal on the left" to ("20 < numberofemployees" to listOf("Epsilon's", "Gamma")),
            "a negative number" to ("numberofemployees > -1" to listOf("Alpha", "Beta", "Epsilon's", "Gamma")),
            "LIKE" to ("name LIKE 'a%'" to listOf("Alpha")),
            "LIKE with a set" to ("name LIKE '[bd]%ta'" to listOf("Beta", "delta")),
            "LIKE with _" to ("name LIKE '_eta'" to listOf("Beta")),
            "NOT LIKE" to ("name NOT LIKE '%a'" to listOf("Epsilon's")),
            "a doubled quote" to ("name = 'Epsilon''s'" to listOf("Epsilon's")),
            "a Unicode literal" to ("name = N'Beta'" to listOf("Beta")),
            "IS NULL" to ("revenue IS NULL" to listOf("Gamma")),
            "IS NOT NULL" to ("numberofemployees IS NOT NULL" to listOf("Alpha", "Beta", "Epsilon's", "Gamma")),
            "IN" to ("numberofemployees IN (10, 30)" to listOf("Alpha", "Gamma")),
            "NOT IN" to ("name NOT IN ('Alpha', 'Beta')" to listOf("delta", "Epsilon's", "Gamma")),
            "BETWEEN" to ("revenue BETWEEN 100 AND 300" to listOf("Alpha", "Beta")),
            "NOT BETWEEN" to ("numberofemployees NOT BETWEEN 15 AND 35" to listOf("Alpha", "Epsilon's")),
            "a boolean as 1" to ("creditonhold = 1" to listOf("Alpha", "Epsilon's")),
            "a lookup as a GUID string" to ("primarycontactid = '$ada'" to listOf("Beta")),
            "AND binds tighter than OR" to ("name = 'Gamma' OR industrycode = 1 AND revenue > 200" to listOf("Epsilon's", "Gamma")),
            "parentheses" to ("(name = 'Gamma' OR industrycode = 1) AND revenue > 200" to listOf("Epsilon's")),
            "NOT with parentheses" to ("NOT (industrycode = 2 OR industrycode IS NULL)" to listOf("Alpha", "Epsilon's")),
            "a comment" to ("name = 'Beta' -- the second one" to listOf("Beta")),
        ) { (_, case) ->
            val (where, expected) = case
            rows("SELECT name FROM account WHERE $where ORDER BY name").names() shouldContainExactly expected
        }
    }

    test("DISTINCT returns each combination once") {
        rows("SELECT DISTINCT industrycode FROM account ORDER BY industrycode").values.map { it.text("industrycode") } shouldContainExactly listOf(null, "1", "2")
    }

    test("INNER JOIN returns matching rows with the joined columns as alias.column") {
        val values = rows(
            "SELECT a.name, c.fullname FROM account a INNER JOIN contact c ON a.primarycontactid = c.contactid ORDER BY c.fullname",
        ).values
        values.map { it.text("name") to it.text("c.fullname") } shouldContainExactly listOf("Beta" to "Ada Lovelace", "Alpha" to "Alan Turing")
    }

    test("LEFT JOIN keeps rows without a match, with nulls; the ON condition may be written either way round") {
        val values = rows("SELECT name, c.lastname AS contact FROM account LEFT OUTER JOIN contact AS c ON c.contactid = account.primarycontactid ORDER BY name").values
        values.map { it.text("name") to it.text("contact") } shouldContainExactly
            listOf("Alpha" to "Turing", "Beta" to "Lovelace", "delta" to null, "Epsilon's" to null, "Gamma" to null)
        rows("SELECT name FROM account LEFT JOIN contact c ON primarycontactid = c.contactid WHERE c.contactid IS NULL ORDER BY name").names() shouldContainExactly
            listOf("delta", "Epsilon's", "Gamma")
    }

    test("COUNT(*) counts the matching rows, alone or grouped") {
        rows("SELECT COUNT(*) FROM account").values.map { it.text("count") } shouldContainExactly listOf("5")
        rows("SELECT COUNT(*) AS n FROM account WHERE revenue > 150").values.map { it.text("n") } shouldContainExactly listOf("3")
        val grouped = rows("SELECT industrycode, COUNT(*) AS n FROM account GROUP BY industrycode ORDER BY n DESC, industrycode").values
        grouped.map { it.text("industrycode") to it.text("n") } shouldContainExactly listOf("1" to "2", "2" to "2", null to "1")
        rows("SELECT COUNT(*) AS n FROM account a INNER JOIN contact c ON a.primarycontactid = c.contactid").values.single().text("n") shouldBe "2"
        rows("SELECT COUNT(name) AS named, COUNT(revenue) AS priced FROM account").values.single().let { it.text("named") to it.text("priced") } shouldBe ("5" to "4")
    }

    test("paging via @odata.nextLink honours odata.maxpagesize and keeps the order") {
        val prefer = mapOf("Prefer" to "odata.maxpagesize=2")
        suspend fun readAll(sql: String): List<TestResponse> {
            val pages = mutableListOf(rows(sql, prefer))
            while (true) {
                val next = pages.last().json.text("@odata.nextLink") ?: return pages
                next shouldStartWith "${emulator.apiUrl}/accounts?sql="
                val page = client.get(next, prefer)
                withClue(page.text) { page.status shouldBe 200 }
                pages += page
            }
        }
        val pages = readAll("SELECT name FROM account ORDER BY name DESC")
        pages.map { it.values.size } shouldContainExactly listOf(2, 2, 1)
        pages.flatMap { it.names() } shouldContainExactly listOf("Gamma", "Epsilon's", "delta", "Beta", "Alpha")
        pages.first().headers["Preference-Applied"] shouldBe "odata.maxpagesize=2"
        val joined = readAll("SELECT a.name, c.lastname FROM account a LEFT JOIN contact c ON a.primarycontactid = c.contactid ORDER BY c.lastname DESC, a.name")
        joined.flatMap { it.values }.map { it.text("name") to it.text("c.lastname") } shouldContainExactly
            listOf("Alpha" to "Turing", "Beta" to "Lovelace", "delta" to null, "Epsilon's" to null, "Gamma" to null)
        val distinct = readAll("SELECT DISTINCT industrycode FROM account")
        distinct.map { it.values.size } shouldContainExactly listOf(2, 1)
        distinct.flatMap { it.values }.map { it.text("industrycode") } shouldContainExactlyInAnyOrder listOf(null, "1", "2")
        readAll("SELECT industrycode, COUNT(*) AS n FROM account GROUP BY industrycode").flatMap { it.values }.size shouldBe 3
    }

    test("formatted values when asked for") {
        val row = rows("SELECT revenue, industrycode FROM account WHERE name = 'Alpha'", TestClient.allAnnotations).values.single()
        row.text("revenue@OData.Community.Display.V1.FormattedValue") shouldBe "$100.50"
        row.text("industrycode@OData.Community.Display.V1.FormattedValue") shouldBe "Accounting"
    }

    context("anything outside the subset is a 400 with a clear message, never a wrong answer") {
        withData(
            nameFn = { it.first },
            "INSERT" to ("INSERT INTO account (name) VALUES ('x')" to "read-only"),
            "UPDATE" to ("UPDATE account SET name = 'x'" to "read-only"),
            "DELETE" to ("DELETE FROM account" to "read-only"),
            "a subquery" to ("SELECT name FROM account WHERE accountid IN (SELECT accountid FROM account)" to "Subqueries"),
            "UNION" to ("SELECT name FROM account UNION SELECT name FROM account" to "UNION"),
            "a function" to ("SELECT UPPER(name) FROM account" to "'UPPER'"),
            "a function in WHERE" to ("SELECT name FROM account WHERE LEN(name) > 3" to "'LEN'"),
            "HAVING" to ("SELECT industrycode, COUNT(*) FROM account GROUP BY industrycode HAVING COUNT(*) > 1" to "HAVING"),
            "RIGHT JOIN" to ("SELECT name FROM account RIGHT JOIN contact c ON primarycontactid = c.contactid" to "RIGHT JOIN"),
            "two joins" to (
                "SELECT name FROM account a JOIN contact c ON a.primarycontactid = c.contactid JOIN contact d ON a.primarycontactid = d.contactid" to "one JOIN"
                ),
            "GROUP BY without COUNT" to ("SELECT industrycode FROM account GROUP BY industrycode" to "GROUP BY"),
            "another table" to ("SELECT fullname FROM contact" to "does not match the entity set 'accounts'"),
            "an unknown column" to ("SELECT bogus FROM account" to "Name = 'bogus'"),
            "an ambiguous column" to ("SELECT emailaddress1 FROM account a JOIN contact c ON a.primarycontactid = c.contactid" to "ambiguous"),
            "= NULL" to ("SELECT name FROM account WHERE revenue = NULL" to "IS NULL"),
            "arithmetic" to ("SELECT name FROM account WHERE revenue + 1 > 5" to "Arithmetic"),
            "two columns compared" to ("SELECT name FROM account WHERE name = accountnumber" to "two columns"),
            "alias.*" to ("SELECT a.* FROM account a" to "a.*"),
            "SELECT * with a JOIN" to ("SELECT * FROM account a JOIN contact c ON a.primarycontactid = c.contactid" to "SELECT *"),
            "ORDER BY a position" to ("SELECT name FROM account ORDER BY 1" to "position"),
            "two statements" to ("SELECT name FROM account; SELECT name FROM account" to "end of the query"),
            "a variable" to ("SELECT name FROM account WHERE name = @p" to "variables"),
            "an unterminated string" to ("SELECT name FROM account WHERE name = 'x" to "unterminated"),
            "a literal of the wrong type" to ("SELECT name FROM account WHERE numberofemployees = 'many'" to "Edm.Int32"),
            "LIKE on a number" to ("SELECT name FROM account WHERE numberofemployees LIKE '1%'" to "text column"),
            "an empty query" to (" " to "empty"),
        ) { (_, case) ->
            val (sql, message) = case
            val response = client.sql("accounts", sql)
            response.status shouldBe 400
            response.errorMessage shouldContain message
        }
    }

    test("sql cannot be combined with other query options, and a foreign skiptoken is a 400") {
        client.get("accounts?sql=${TestClient.encode("SELECT name FROM account")}&\$top=1").status shouldBe 400
        val grouped = rows("SELECT industrycode, COUNT(*) AS n FROM account GROUP BY industrycode", mapOf("Prefer" to "odata.maxpagesize=1"))
        val token = grouped.json.text("@odata.nextLink")!!.substringAfter("\$skiptoken=")
        client.get("accounts?sql=${TestClient.encode("SELECT name FROM account")}&\$skiptoken=$token").status shouldBe 400
    }
})
