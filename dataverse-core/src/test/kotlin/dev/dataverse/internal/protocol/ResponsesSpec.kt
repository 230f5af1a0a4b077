package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.collections.shouldHaveSize
import java.util.UUID

class ResponsesSpec : FunSpec({
    test("the id is read from OData-EntityId, and a header naming another record than the one written is refused") {
        val id = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
        Responses.entityId("https://org.crm.dynamics.com/api/data/v9.2/accounts($id)", "accountid") shouldBe id
        Responses.entityId("https://org.crm.dynamics.com/api/data/v9.2/accounts($id)", "accountid", expected = id) shouldBe id
        shouldThrow<MalformedResponseException> {
            Responses.entityId("https://org.crm.dynamics.com/api/data/v9.2/accounts($id)", "accountid", expected = UUID.randomUUID())
        }
    }

    test("no header, a header naming the record by alternate key, or an unreadable one give no id, and no error") {
        Responses.entityId(null, "accountid").shouldBeNull()
        Responses.entityId("https://org/api/data/v9.2/accounts(accountnumber='1')", "accountid").shouldBeNull()
        Responses.entityId("https://org/api/data/v9.2/accounts(accountnumber='1')", "accountid", expected = UUID.randomUUID()).shouldBeNull()
        Responses.entityId("garbage", "accountid").shouldBeNull()
    }

    test("a collection page yields records, next link and count") {
        val page = Responses.page(
            Body.of("""{"@odata.context":"x","@odata.count":7,"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded":false,
               "value":[{"name":"a","accountid":"7b1c0000-0000-0000-0000-000000000001"},{"name":"b"}],
               "@odata.nextLink":"https://org/api/data/v9.2/accounts?${'$'}skiptoken=abc"}"""),
            "account", "accountid",
        )
        page.records shouldHaveSize 2
        page.records[0].id shouldBe UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
        page.records[0].table shouldBe "account"
        page.continuationToken shouldBe "https://org/api/data/v9.2/accounts?\$skiptoken=abc"
        page.totalCount shouldBe 7
        page.hasNext shouldBe true
    }

    test("non-JSON and wrongly shaped bodies are malformed responses, never raw parser errors") {
        shouldThrow<MalformedResponseException> { Responses.page(Body.of("<html>"), "account", "accountid") }
        shouldThrow<MalformedResponseException> { Responses.page(Body.of("""{"value":{}}"""), "account", "accountid") }
        shouldThrow<MalformedResponseException> { Responses.page(Body.of("""{"value":[1]}"""), "account", "accountid") }
        shouldThrow<MalformedResponseException> { Responses.page(Body.of("""{"value":["""), "account", "accountid") }
        shouldThrow<MalformedResponseException> { Responses.record(Body.of("[]"), "account", "accountid") }
        shouldThrow<MalformedResponseException> { Responses.whoAmI(Body.of("""{"UserId":"x","BusinessUnitId":"y","OrganizationId":"z"}""")) }
    }

    test("EntityDefinitions answers give entity set and primary id, or null for an unknown table") {
        val metadata = TableMetadata.parse(
            Body.of("""{"value":[{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84","LogicalName":"account","SchemaName":"Account",
               "EntitySetName":"accounts","PrimaryNameAttribute":"name","PrimaryIdAttribute":"accountid"}]}"""),
            "account",
        )!!
        metadata.entitySetName shouldBe "accounts"
        metadata.primaryIdAttribute shouldBe "accountid"
        TableMetadata.parse(Body.of("""{"value":[]}"""), "nope") shouldBe null
        shouldThrow<MalformedResponseException> {
            TableMetadata.parse(Body.of("""{"value":[{"EntitySetName":"a/../b","PrimaryIdAttribute":"x"}]}"""), "x")
        }
    }

    test("the metadata lookup quotes the table name") {
        TableMetadata.lookupPath("account") shouldBe "EntityDefinitions?\$select=MetadataId,LogicalName,SchemaName,EntitySetName," +
            "PrimaryIdAttribute,PrimaryNameAttribute,TableType&\$filter=LogicalName%20eq%20'account'"
    }
})
