package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * Learn, "Aggregate data using FetchXml", Limitations: an aggregate query that would evaluate more than 50,000 records
 * fails with AggregateQueryRecordLimit (`8004E023`); `aggregatelimit` sets a lower limit for one query, never a higher one.
 */
class FetchXmlAggregateLimitSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    fun count(fetchAttributes: String, filter: String = "") =
        "<fetch aggregate='true'$fetchAttributes><entity name='account'><attribute name='accountid' alias='n' aggregate='count' />$filter</entity></fetch>"

    test("the records an aggregate evaluates, after its filter, are limited: by aggregatelimit, and at most 50,000") {
        repeat(5) { client.create("accounts", """{"name":"Account $it","numberofemployees":$it}""") }

        val refused = client.fetchXml("accounts", count(" aggregatelimit='4'"))
        refused.status shouldBe 400
        refused.errorCode shouldBe "0x8004E023"
        refused.text shouldContain "AggregateQueryRecordLimit exceeded"
        // The limit counts the records the filter leaves.
        client.fetchXml("accounts", count(" aggregatelimit='4'", "<filter><condition attribute='numberofemployees' operator='lt' value='4' /></filter>"))
            .values.single().text("n") shouldBe "4"
        client.fetchXml("accounts", count(" aggregatelimit='5'")).values.single().text("n") shouldBe "5"

        // 50,001 records: the default limit, which a higher aggregatelimit does not raise.
        val records = (5 until 50_001).joinToString(",") { """{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Account $it"}""" }
        client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", """{"Targets":[$records]}""").status shouldBe 200
        client.fetchXml("accounts", count("")).errorCode shouldBe "0x8004E023"
        client.fetchXml("accounts", count(" aggregatelimit='60000'")).errorCode shouldBe "0x8004E023"
        client.fetchXml("accounts", count("", "<filter><condition attribute='name' operator='ne' value='Account 0' /></filter>"))
            .values.single().text("n") shouldBe "50000"
    }
})
