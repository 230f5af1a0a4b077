package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.jsonPrimitive

/** Whether a FetchXML page says more records follow: `morerecords` is sent only then (absent on the last page). */
private fun TestResponse.moreRecords(): Boolean = json["@Microsoft.Dynamics.CRM.morerecords"]?.jsonPrimitive?.boolean ?: false

class FetchXmlPagingSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(maxPageSize = 50))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    suspend fun seed(count: Int): List<String> = (1..count).map { index ->
        client.create("accounts", """{"name":"Account ${index.toString().padStart(3, '0')}","numberofemployees":${index % 4}}""")
    }

    fun fetch(page: Int, count: Int, cookie: String?, body: String = "<attribute name='name' />") =
        "<fetch count='$count' page='$page'${cookie?.let { " paging-cookie='${xmlAttribute(it)}'" }.orEmpty()}><entity name='account'>$body</entity></fetch>"

    /** Reads every page the way clients do: the cookie of each page sent back with the next (or page numbers only). */
    suspend fun readAll(count: Int, useCookie: Boolean, body: String = "<attribute name='name' />"): List<TestResponse> {
        val pages = mutableListOf<TestResponse>()
        var cookie: String? = null
        var page = 1
        while (true) {
            val response = client.fetchXml("accounts", fetch(page, count, cookie, body))
            response.status shouldBe 200
            pages += response
            if (!response.moreRecords()) return pages
            if (useCookie) cookie = innerPagingCookie(response.json.text("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")!!)
            page++
        }
    }

    test("paging with the cookie over more than 3 pages returns every row exactly once") {
        val ids = seed(14)
        val pages = readAll(4, useCookie = true)
        pages.map { it.values.size } shouldContainExactly listOf(4, 4, 4, 2)
        val rows = pages.flatMap { it.values }
        rows.map { it.text("accountid") } shouldContainExactlyInAnyOrder ids
        rows.map { it.text("accountid")!! } shouldBe rows.map { it.text("accountid")!! }.sorted()
        pages.map { it.moreRecords() } shouldContainExactly listOf(true, true, true, false)
        // Learn ("Page results using FetchXml"): the last page carries neither the cookie nor morerecords.
        pages.last().json.keys.filter { it.startsWith("@Microsoft.Dynamics.CRM.") } shouldBe emptyList()
    }

    test("page-number-only paging skips (page - 1) x count rows") {
        val ids = seed(14)
        val pages = readAll(4, useCookie = false)
        pages.map { it.values.size } shouldContainExactly listOf(4, 4, 4, 2)
        pages.flatMap { it.values }.map { it.text("accountid") } shouldContainExactlyInAnyOrder ids
        client.fetchXml("accounts", fetch(5, 4, null)).values.size shouldBe 0
    }

    test("the cookie has the service's shape: pagenumber P+1, the inner cookie URL-encoded twice with braced upper-case ids") {
        seed(5)
        val first = client.fetchXml("accounts", fetch(1, 2, null))
        val rows = first.values
        val annotation = first.json.text("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")!!
        annotation shouldStartWith "<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522"
        annotation shouldContain "istracking=\"False\" />"
        val inner = innerPagingCookie(annotation)
        inner shouldMatch Regex("<cookie page=\"1\" position=\"[A-Za-z0-9_-]+\"><accountid last=\"\\{[0-9A-F-]{36}}\" first=\"\\{[0-9A-F-]{36}}\" /></cookie>")
        inner shouldContain "last=\"{${rows[1].text("accountid")!!.uppercase()}}\""
        inner shouldContain "first=\"{${rows[0].text("accountid")!!.uppercase()}}\""
    }

    test("ordered paging with the cookie keeps the order, and stays exact when rows are added before the cookie's position") {
        seed(13)
        val order = "<attribute name='name' /><attribute name='numberofemployees' /><order attribute='numberofemployees' descending='true' /><order attribute='name' />"
        val first = client.fetchXml("accounts", fetch(1, 5, null, order))
        val cookie = innerPagingCookie(first.json.text("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")!!)
        cookie shouldContain "<numberofemployees last=\""
        client.create("accounts", """{"name":"Account 000","numberofemployees":3}""")
        var rows = first.values
        var response = client.fetchXml("accounts", fetch(2, 5, cookie, order))
        var page = 2
        while (true) {
            rows = rows + response.values
            if (!response.moreRecords()) break
            val next = innerPagingCookie(response.json.text("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")!!)
            response = client.fetchXml("accounts", fetch(++page, 5, next, order))
        }
        val keys = rows.map { it.text("numberofemployees")!!.toInt() to it.text("name")!! }
        keys shouldBe keys.sortedWith(compareByDescending<Pair<Int, String>> { it.first }.thenBy { it.second })
        rows.map { it.text("name") } shouldBe rows.map { it.text("name") }.distinct()
        rows.size shouldBe 13 // "Account 000" sorts before the first page's last row, so no page shows it twice or shifts
    }

    test("cookie paging over a one-to-many link-entity returns each joined row once, across more than 3 pages") {
        val accounts = seed(4)
        for (account in accounts) {
            for (child in 1..3) client.create("contacts", """{"lastname":"Child $child","parentcustomerid_account@odata.bind":"/accounts($account)"}""")
        }
        val body = "<attribute name='name' /><order attribute='name' />" +
            "<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c'><attribute name='lastname' /><attribute name='contactid' /></link-entity>"
        val pages = readAll(3, useCookie = true, body = body)
        pages.map { it.values.size } shouldContainExactly listOf(3, 3, 3, 3)
        val rows = pages.flatMap { it.values }
        rows.map { it.text("c.contactid") }.distinct().size shouldBe 12
        rows.map { it.text("name") } shouldBe rows.map { it.text("name") }.sortedBy { it }
        pages.map { page -> page.values.map { it.text("name") }.distinct() } shouldContainExactly (1..4).map { listOf("Account 00$it") }
    }

    test("a cookie that is not the previous page's is ignored and the page number decides, as on the service") {
        seed(12)
        val first = client.fetchXml("accounts", fetch(1, 4, null))
        val cookie = innerPagingCookie(first.json.text("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")!!)
        val third = client.fetchXml("accounts", fetch(3, 4, cookie))
        val all = client.fetchXml("accounts", "<fetch><entity name='account'><attribute name='name' /></entity></fetch>").names()
        third.names() shouldContainExactly all.subList(8, 12)
    }

    test("a hand-written cookie in the documented shape continues after its last id, even when earlier rows were deleted") {
        seed(6)
        val all = client.fetchXml("accounts", "<fetch><entity name='account'><attribute name='name' /></entity></fetch>").values
        val last = all[2].text("accountid")!!.uppercase()
        val cookie = "<cookie page=\"1\"><accountid last=\"{$last}\" first=\"{${all[0].text("accountid")!!.uppercase()}}\" /></cookie>"
        client.delete("accounts(${all[0].text("accountid")})").status shouldBe 204 // would shift a page-number page by one
        val second = client.fetchXml("accounts", fetch(2, 3, cookie))
        second.values.map { it.text("accountid") } shouldContainExactly all.drop(3).map { it.text("accountid") }
    }

    test("annotations only when asked for; without count the page size is the default; top returns one page") {
        seed(60)
        val plain = client.fetchXml("accounts", "<fetch><entity name='account'><attribute name='name' /></entity></fetch>", emptyMap())
        plain.values.size shouldBe 50
        plain.json.containsKey("@Microsoft.Dynamics.CRM.morerecords") shouldBe false
        plain.json.containsKey("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie") shouldBe false
        val top = client.fetchXml("accounts", "<fetch top='7'><entity name='account'><attribute name='name' /></entity></fetch>")
        top.values.size shouldBe 7
        top.json.containsKey("@Microsoft.Dynamics.CRM.morerecords") shouldBe false
        top.json.containsKey("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie") shouldBe false
    }

    test("an aggregate query pages simply by count and page, without a cookie (DynamicsWebApi's fetch always sends page)") {
        seed(12) // numberofemployees 0..3, three accounts each
        val xml = { page: Int ->
            "<fetch aggregate='true' count='3' page='$page'><entity name='account'><attribute name='numberofemployees' groupby='true' alias='n' />" +
                "<attribute name='accountid' aggregate='count' alias='c' /><order alias='n' /></entity></fetch>"
        }
        val first = client.fetchXml("accounts", xml(1))
        first.status shouldBe 200
        first.values.map { it.text("n") } shouldContainExactly listOf("0", "1", "2")
        first.moreRecords() shouldBe true
        first.json.containsKey("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie") shouldBe false
        val second = client.fetchXml("accounts", xml(2))
        second.values.map { it.text("n") to it.text("c") } shouldContainExactly listOf("3" to "3")
        second.json.containsKey("@Microsoft.Dynamics.CRM.morerecords") shouldBe false
    }

    test("distinct pages by number only and returns no cookie") {
        seed(10)
        val xml = { page: Int -> "<fetch distinct='true' count='2' page='$page'><entity name='account'><attribute name='numberofemployees' /><order attribute='numberofemployees' /></entity></fetch>" }
        val first = client.fetchXml("accounts", xml(1))
        first.json.containsKey("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie") shouldBe false
        first.moreRecords() shouldBe true
        val values = (1..2).flatMap { client.fetchXml("accounts", xml(it)).values }.map { it.text("numberofemployees") }
        values shouldContainExactly listOf("0", "1", "2", "3")
        first.values.first().containsKey("accountid") shouldBe false
        client.fetchXml("accounts", xml(2)).json.containsKey("@Microsoft.Dynamics.CRM.morerecords") shouldBe false
    }

    test("returntotalrecordcount adds the total when its annotation is asked for") {
        seed(9)
        val response = client.fetchXml(
            "accounts",
            "<fetch count='2' returntotalrecordcount='true'><entity name='account'><attribute name='name' /></entity></fetch>",
            TestClient.allAnnotations,
        )
        response.json.text("@Microsoft.Dynamics.CRM.totalrecordcount") shouldBe "9"
        response.json.text("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded") shouldBe "false"
        response.values.first().shouldBeRecord()
    }
})

private fun JsonObject.shouldBeRecord() {
    text("@odata.etag")!! shouldStartWith "W/\""
    text("accountid")!! shouldMatch Regex("[0-9a-f-]{36}")
}
