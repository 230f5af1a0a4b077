package dev.dataverse.internal.protocol

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.UUID

/**
 * `OData-EntityId` headers as Microsoft Learn shows them, copied verbatim (`[Organization Uri]` included: the parser must
 * not depend on the host part).
 */
class EntityIdHeadersSpec : FunSpec({
    test("Learn, Use Upsert to Create or Update a record: the record is named by its two-column alternate key") {
        // "Create with upsert" and "Update with upsert" answer with the same header.
        EntityIdHeaders.parse("[Organization Uri]/api/data/v9.2/example_records(example_key1=2,example_key2=2)", "example_recordid") shouldBe
            EntityIdHeader.AlternateKey("example_key1=2,example_key2=2")
    }

    test("Learn, Use elastic tables using code (update): the record is named by its id and partition") {
        EntityIdHeaders.parse(
            "[Organization URI]/api/data/v9.2/contoso_sensordatas(contoso_sensordataid=21d455f2-70f3-ed11-8848-000d3a993550,partitionid='deviceid-001')",
            "contoso_sensordataid",
        ) shouldBe EntityIdHeader.Id(UUID.fromString("21d455f2-70f3-ed11-8848-000d3a993550"))
    }

    test("Learn, Use elastic tables using code (create): the record is named by its id alone") {
        EntityIdHeaders.parse("[Organization URI]/api/data/v9.2/sensordata(7eb682f1-ca75-e511-80d4-00155d2a68d1)", "contoso_sensordataid") shouldBe
            EntityIdHeader.Id(UUID.fromString("7eb682f1-ca75-e511-80d4-00155d2a68d1"))
    }

    test("Learn, Execute batch operations using the Web API: a create inside a change set") {
        EntityIdHeaders.parse("[Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)", "activityid") shouldBe
            EntityIdHeader.Id(UUID.fromString("e73ffc82-e292-ed11-aad1-000d3a9933c9"))
    }

    test("the primary id column named in the key, in any case, is still an id") {
        val id = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
        EntityIdHeaders.parse("https://org.crm.dynamics.com/api/data/v9.2/accounts(accountid=$id)", "accountid") shouldBe EntityIdHeader.Id(id)
        EntityIdHeaders.parse("https://org.crm.dynamics.com/api/data/v9.2/accounts(AccountId=$id)", "accountid") shouldBe EntityIdHeader.Id(id)
        EntityIdHeaders.parse("https://org/api/data/v9.2/contoso_sensordatas(contoso_sensordataid=$id,partitionId='a%2Cb')", "contoso_sensordataid") shouldBe
            EntityIdHeader.Id(id)
    }

    test("a key that holds the primary id with another column, or a GUID-valued alternate key, is an alternate key") {
        val id = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts(accountid=$id,accountnumber='A')", "accountid") shouldBe
            EntityIdHeader.AlternateKey("accountid=$id,accountnumber='A'")
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts(_primarycontactid_value=$id)", "accountid") shouldBe
            EntityIdHeader.AlternateKey("_primarycontactid_value=$id")
    }

    test("a key segment as long as a GUID is read as a key, not as an id") {
        val segment = "accountnumber='ABCDEFGHIJKLMNOPQRST'"
        segment.length shouldBe 36
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts($segment)", "accountid") shouldBe EntityIdHeader.AlternateKey(segment)
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts(7b1c0000-0000-0000-0000-00000000000g)", "accountid") shouldBe EntityIdHeader.Unreadable
    }

    test("quoted strings may hold commas, equals signs, parentheses and doubled quotes") {
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts(accountnumber='O''Neil, (a=b)')", "accountid") shouldBe
            EntityIdHeader.AlternateKey("accountnumber='O''Neil, (a=b)'")
        EntityIdHeaders.parse("https://org/api/data/v9.2/accounts(name='x',accountnumber='A-1')", "accountid") shouldBe
            EntityIdHeader.AlternateKey("name='x',accountnumber='A-1'")
    }

    test("a header without a key segment the client can read is unreadable, never an exception") {
        listOf(
            "garbage",
            "https://org/api/data/v9.2/accounts",
            "https://org/api/data/v9.2/accounts()",
            "https://org/api/data/v9.2/accounts(not-a-guid)",
            "https://org/api/data/v9.2/accounts(accountnumber='unclosed)",
            "https://org/api/data/v9.2/accounts(accountnumber=)",
            "https://org/api/data/v9.2/accounts(=1)",
            "https://org/api/data/v9.2/accounts(7b1c0000-0000-0000-0000-000000000001)/name",
        ).forEach { EntityIdHeaders.parse(it, "accountid") shouldBe EntityIdHeader.Unreadable }
    }
})
