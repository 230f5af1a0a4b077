package dev.dataverse.integration

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList

/**
 * Long queries against the emulator, which accepts URLs up to the service's limit. Learn, "Compose HTTP requests and
 * handle errors" (webapi/compose-http-requests-handle-errors), "Maximum URL length": 32 KB (32,768 characters) for a
 * URL, 64 KB for one inside `$batch`. Below 32 KB the client sends a plain GET; above, the same GET inside `$batch`.
 * Which of the two went out is made visible by a fault rule that refuses the other with 413.
 */
class LongUrlIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val wanted = listOf("Long 0003", "Long 0500")

    beforeSpec {
        fixture.records.createMany("account", (wanted + "Other").map { mapOf("name" to it) })
    }
    afterTest { fixture.emulator.faults().clear() }

    /** `name eq 'Long 0000' or ...`: about 37 characters a clause once percent-encoded, at least 23 however encoded. */
    fun anyName(clauses: Int): String = (0 until clauses).joinToString(" or ") { "name eq 'Long %04d'".format(it) }

    fun fetchXmlOf(conditions: Int): String = """<fetch><entity name="account"><attribute name="name"/><filter type="or">""" +
        (0 until conditions).joinToString("") { """<condition attribute="name" operator="eq" value="Long %04d"/>""".format(it) } +
        "</filter></entity></fetch>"

    test("a query whose URL is between 8 and 32 KB goes out as a plain GET and reads the rows its filter selects") {
        // 540 clauses: between 12 and 20 KB however they are encoded, so far from either limit.
        fixture.emulator.faults().add(FaultRule(FaultKind.REQUEST_TOO_LARGE, pathPattern = "\\\$batch"))
        val options = ListOptions(select = listOf("name"), filter = Filter.raw(anyName(540)))
        fixture.records.list("account", options).map { it.getString("name")!! }.toList() shouldContainExactlyInAnyOrder wanted
        fixture.records.page("account", options).records.map { it.getString("name")!! } shouldContainExactlyInAnyOrder wanted
        fixture.client.query.count("account", Filter.raw(anyName(540))).count shouldBe 2
        // 250 conditions of 60 characters, more once encoded: a FetchXML URL of 15 to 25 KB.
        fixture.client.query.fetchXml(fetchXmlOf(250)).map { it.getString("name")!! }.toList() shouldBe listOf("Long 0003")
        fixture.emulator.stats.faultsInjected(FaultKind.REQUEST_TOO_LARGE) shouldBe 0
    }

    test("a query whose URL passes 32 KB goes inside \$batch, whose GET is not the one a plain GET would be") {
        // 1,500 clauses: over 34 KB however encoded, under the 64 KB a GET inside $batch may have.
        fixture.emulator.faults().add(FaultRule(FaultKind.REQUEST_TOO_LARGE, methods = setOf("GET"), pathPattern = "accounts"))
        val before = fixture.emulator.stats.requests
        fixture.records.list("account", ListOptions(select = listOf("name"), filter = Filter.raw(anyName(1_500))))
            .map { it.getString("name")!! }.toList() shouldContainExactlyInAnyOrder wanted
        fixture.emulator.stats.requests - before shouldBe 1
        fixture.emulator.stats.faultsInjected(FaultKind.REQUEST_TOO_LARGE) shouldBe 0
    }
})
