package dev.dataverse.integration

import dev.dataverse.BadRequestException
import dev.dataverse.Expand
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.RecordKey
import dev.dataverse.where
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList

class QueryIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val names = (0 until 37).map { "Fetch %02d".format(it) }

    beforeSpec {
        val ids = fixture.records.createMany("account", names.mapIndexed { i, name -> mapOf("name" to name, "numberofemployees" to i, "industrycode" to 1 + i % 2) }).ids
        fixture.records.createMany("contact", (0 until 5).map { mapOf("lastname" to "Member $it", "parentcustomerid_account" to dev.dataverse.EntityReference("account", ids[0]!!)) })
    }

    test("FetchXML paging over more than 3 pages returns every row exactly once, in order") {
        val fetch = """<fetch><entity name="account"><attribute name="name"/><order attribute="name"/>
            <filter><condition attribute="name" operator="begins-with" value="Fetch"/></filter></entity></fetch>"""
        fixture.client.query.fetchXml(fetch, pageSize = 5).map { it.getString("name")!! }.toList() shouldContainExactly names
    }

    test("aggregate FetchXML returns its grouped rows") {
        val fetch = """<fetch aggregate="true"><entity name="account">
            <attribute name="industrycode" alias="industry" groupby="true"/><attribute name="accountid" alias="n" aggregate="count"/>
            <filter><condition attribute="name" operator="begins-with" value="Fetch"/></filter></entity></fetch>"""
        val rows = fixture.client.query.fetchXml(fetch).toList()
        rows.associate { it.getInt("industry") to it.getInt("n") } shouldBe mapOf(1 to 19, 2 to 18)
    }

    test("SQL pages through next links and refuses writes before sending") {
        fixture.client.query.sql("SELECT name FROM account WHERE numberofemployees >= 30 ORDER BY name").map { it.getString("name")!! }.toList() shouldContainExactly names.drop(30)
        val before = fixture.emulator.stats.requests
        shouldThrow<InvalidInputException> { fixture.client.query.sql("UPDATE account SET name = 'x'").toList() }
        fixture.emulator.stats.requests shouldBe before
        // TOP: sent as written; the emulator follows the Web API page ("TOP ... not supported") and refuses it.
        shouldThrow<dev.dataverse.BadRequestException> { fixture.client.query.sql("SELECT TOP 1 name FROM account").toList() }
        fixture.emulator.stats.requests shouldBe before + 1
    }

    test("the typed filter, nested expand and count work against the service") {
        val filter = where { ("name" startsWith "Fetch") and ("numberofemployees" between 10..14) and not("industrycode" eq 2) }
        fixture.records.list("account", ListOptions(filter = filter, orderBy = listOf("name"))).map { it.getString("name")!! }.toList() shouldContainExactly
            listOf("Fetch 10", "Fetch 12", "Fetch 14")
        val parent = fixture.records.list("account", ListOptions(filter = Filter.eq("name", "Fetch 00"), expand = listOf(
            Expand("contact_customer_accounts", select = listOf("lastname"), filter = Filter.ne("lastname", "Member 2"), orderBy = listOf("lastname desc"), top = 3),
        ))).toList().single()
        parent.getExpandedList("contact_customer_accounts").map { it.getString("lastname") } shouldContainExactly listOf("Member 4", "Member 3", "Member 1")
        val count = fixture.client.query.count("account", Filter.startsWith("name", "Fetch"))
        count.count shouldBe 37
        count.isCapped shouldBe false
    }

    test("formatted values come with annotations; unknown columns fail before sending") {
        val record = fixture.records.get("account", RecordKey.id(fixture.records.list("account", ListOptions(filter = Filter.eq("name", "Fetch 01"))).toList().single().id!!),
            dev.dataverse.RetrieveOptions(select = listOf("industrycode"), includeAnnotations = true))
        record.formattedValue("industrycode") shouldBe "Agriculture and Non-petrol Natural Resource Extraction"
        shouldThrow<InvalidInputException> { fixture.records.list("account", ListOptions(filter = Filter.eq("nmae", "x"))).toList() }.message shouldContain "nmae"
        shouldThrow<BadRequestException> { fixture.records.list("account", ListOptions(filter = Filter.raw("nmae eq 'x'"))).toList() }
    }
})
