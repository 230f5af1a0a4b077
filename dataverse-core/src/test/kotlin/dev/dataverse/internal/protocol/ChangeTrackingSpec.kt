package dev.dataverse.internal.protocol

import dev.dataverse.Change
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DeltaTokenExpiredException
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.MalformedResponseException
import dev.dataverse.where
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.UUID

/** The change-tracking wire format, against the examples of Learn's "Use change tracking to synchronize data with external systems". */
class ChangeTrackingSpec : FunSpec({
    val api = "https://org.crm.dynamics.com/api/data/v9.0"

    test("Learn's delta response: a changed record, a deleted entity, and the next delta token decoded from the delta link") {
        val page = ChangeTracking.page(
            Body.of("""{"@odata.context":"$api/${'$'}metadata#accounts(name,telephone1,fax)/${'$'}delta",
               "@odata.deltaLink":"$api/accounts?${'$'}select=name,telephone1,fax&${'$'}deltatoken=919058%2108%2f22%2f2017%2008%3a21%3a20",
               "value":[
                 {"@odata.etag":"W/\"915244\"","name":"Monte Orton","telephone1":"555000","fax":"10101","accountid":"60c4e274-0d87-e711-80e5-00155db19e6d"},
                 {"@odata.context":"$api/${'$'}metadata#accounts/${'$'}deletedEntity","id":"2e451703-c686-e711-80e5-00155db19e6d","reason":"deleted"}]}"""),
            "account", "accountid", api, "accounts",
        )
        val (updated, deleted) = page.changes
        updated.shouldBeInstanceOf<Change.NewOrUpdated>()
        updated.id shouldBe UUID.fromString("60c4e274-0d87-e711-80e5-00155db19e6d")
        updated.isDeleted shouldBe false
        updated.record.getString("name") shouldBe "Monte Orton"
        updated.record.etag shouldBe "W/\"915244\""
        deleted.shouldBeInstanceOf<Change.Deleted>()
        deleted.id shouldBe UUID.fromString("2e451703-c686-e711-80e5-00155db19e6d")
        deleted.table shouldBe "account"
        deleted.record shouldBe null
        page.continuationToken shouldBe null
        page.deltaToken shouldBe "919058!08/22/2017 08:21:20"
    }

    test("the delta token goes back percent-encoded as \$deltatoken, with \$select, and every request prefers track-changes") {
        val options = ChangeTrackingOptions(select = listOf("name", "fax"), pageSize = 500, deltaToken = "919058!08/22/2017 08:21:20")
        ChangeTracking.firstTarget("accounts", options) shouldBe "accounts?\$select=name,fax&\$deltatoken=919058%2108/22/2017%2008:21:20"
        ChangeTracking.preferences(options) shouldBe "odata.track-changes,odata.maxpagesize=500"
        ChangeTracking.firstTarget("accounts", ChangeTrackingOptions.DEFAULT) shouldBe "accounts"
    }

    test("a page with a next link hands it on; the delta link must be on the last page and of the same entity set") {
        val next = "$api/accounts?${'$'}skiptoken=abc"
        ChangeTracking.page(Body.of("""{"value":[],"@odata.nextLink":"$next"}"""), "account", "accountid", api, "accounts").continuationToken shouldBe next
        shouldThrow<MalformedResponseException> { ChangeTracking.page(Body.of("""{"value":[]}"""), "account", "accountid", api, "accounts") }
            .message!! shouldContain "no @odata.deltaLink"
        shouldThrow<MalformedResponseException> {
            ChangeTracking.page(Body.of("""{"value":[],"@odata.deltaLink":"https://evil.example/api/data/v9.0/accounts?${'$'}deltatoken=1"}"""), "account", "accountid", api, "accounts")
        }
        shouldThrow<MalformedResponseException> {
            ChangeTracking.page(Body.of("""{"value":[],"@odata.nextLink":"$api/contacts?${'$'}skiptoken=1"}"""), "account", "accountid", api, "accounts")
        }
        shouldThrow<MalformedResponseException> {
            ChangeTracking.page(Body.of("""{"value":[{"name":"no id"}],"@odata.deltaLink":"$api/accounts?${'$'}deltatoken=1"}"""), "account", "accountid", api, "accounts")
        }
    }

    test("a '+' in a delta token is a plus, as in any URL query, not a space") {
        ChangeTracking.deltaToken("$api/accounts?${'$'}deltatoken=1+2%2B3", api, "accounts") shouldBe "1+2+3"
    }

    test("options take only what change tracking supports: filter, orderBy, expand, top and count are refused by name") {
        val error = shouldThrow<InvalidInputException> {
            ChangeTrackingOptions.from(ListOptions(filter = where { "name" eq "x" }, orderBy = listOf("name"), top = 5))
        }
        error.message!! shouldContain "'filter', 'orderBy', 'top'"
        shouldThrow<InvalidInputException> { ChangeTrackingOptions.from(ListOptions(count = true)) }
        ChangeTrackingOptions.from(ListOptions(select = listOf("name"), pageSize = 10), "t").select shouldContainExactly listOf("name")
        shouldThrow<InvalidInputException> { ChangeTrackingOptions(select = listOf("name&\$filter=x")) }
        shouldThrow<InvalidInputException> { ChangeTrackingOptions(pageSize = 5001) }
        shouldThrow<InvalidInputException> { ChangeTrackingOptions(deltaToken = " ") }
        ChangeTrackingOptions.builder().select("name").deltaToken("t").build().since("u").deltaToken shouldBe "u"
    }

    test("ExpiredVersionStamp becomes DeltaTokenExpiredException, whatever the status, saying a full resync is needed") {
        val error = ErrorResponses.toException(
            400, { null },
            Body.of("""{"error":{"code":"0x80044352","message":"Version stamp associated with the client has expired. Please perform a full sync."}}"""),
            null,
        )
        error.shouldBeInstanceOf<DeltaTokenExpiredException>()
        error.errorCode shouldBe "0x80044352"
        error.message!! shouldContain "a full resync is needed"
        ErrorResponses.toException(500, { null }, Body.of("""{"error":{"code":"0x80044352","message":"x"}}"""), null)
            .shouldBeInstanceOf<DeltaTokenExpiredException>()
    }
})
