package dev.dataverse.integration

import dev.dataverse.Expand
import dev.dataverse.BadRequestException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.RecordKey
import dev.dataverse.batch
import dev.dataverse.RetrieveOptions
import dev.dataverse.create
import dev.dataverse.decode
import dev.dataverse.update
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.serialization.Serializable
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class RecordsIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)

    test("whoAmI answers with the emulator's identity") {
        val me = fixture.client.whoAmI()
        me.userId shouldNotBe me.organizationId
    }

    test("create, get, update and delete round-trip every value type") {
        val id = fixture.records.create(
            "account",
            mapOf(
                "name" to "Round trip", "numberofemployees" to 42, "revenue" to BigDecimal("1234.5"),
                "creditonhold" to true, "industrycode" to 1, "description" to "multi\nline ✓",
            ),
        )
        val account = fixture.records.get("account", id)
        account.id shouldBe id
        account.getString("name") shouldBe "Round trip"
        account.getInt("numberofemployees") shouldBe 42
        account.getDecimal("revenue")!!.compareTo(BigDecimal("1234.5")) shouldBe 0
        account.getBoolean("creditonhold") shouldBe true
        account.getInt("industrycode") shouldBe 1
        account.getString("description") shouldBe "multi\nline ✓"
        account.getInstant("createdon")!!.isAfter(Instant.parse("2020-01-01T00:00:00Z")) shouldBe true
        account.etag!! shouldMatch Regex("W/\"\\d+\"")

        fixture.records.update("account", id, mapOf("name" to "Renamed", "description" to null))
        val updated = fixture.records.get("account", id, RetrieveOptions(select = listOf("name", "description")))
        updated.getString("name") shouldBe "Renamed"
        updated.isNull("description") shouldBe true
        updated.contains("revenue") shouldBe false
        updated.etag shouldNotBe account.etag

        fixture.records.delete("account", id)
        val gone = shouldThrow<NotFoundException> { fixture.records.get("account", id) }
        gone.errorCode shouldBe "0x80040217"
        gone.serviceMessage!! shouldContain id.toString()
    }

    test("a client-assigned id is kept, and reusing it is a duplicate") {
        val id = UUID.randomUUID()
        fixture.records.create("account", mapOf("accountid" to id, "name" to "Mine")) shouldBe id
        shouldThrow<DuplicateRecordException> { fixture.records.create("account", mapOf("accountid" to id, "name" to "Again")) }
    }

    test("update never creates, and a stale ETag is refused") {
        shouldThrow<NotFoundException> { fixture.records.update("account", UUID.randomUUID(), mapOf("name" to "x")) }
        val id = fixture.records.create("account", mapOf("name" to "Versioned"))
        val read = fixture.records.get("account", id)
        fixture.records.update("account", id, mapOf("name" to "First writer"), conditions = dev.dataverse.MatchConditions.ifMatch(read.etag!!))
        shouldThrow<PreconditionFailedException> { fixture.records.update("account", id, mapOf("name" to "Second writer"), conditions = dev.dataverse.MatchConditions.ifMatch(read.etag!!)) }
        fixture.records.get("account", id).getString("name") shouldBe "First writer"
    }

    test("upsert by alternate key creates, then updates the same record") {
        fixture.ensureAccountNumberKey()
        val key = RecordKey.alternate("accountnumber", "UPSERT-1")
        val created = fixture.records.upsert("account", key, mapOf("name" to "Created by upsert"))
        val updated = fixture.records.upsert("account", key, mapOf("name" to "Updated by upsert"))
        updated shouldBe created
        val account = fixture.records.get("account", key)
        account.id shouldBe created
        account.getString("name") shouldBe "Updated by upsert"
        account.getString("accountnumber") shouldBe "UPSERT-1"
        fixture.records.delete("account", key)
        shouldThrow<NotFoundException> { fixture.records.get("account", created) }
    }

    test("writes by alternate key succeed on the answer that names the record by key (Learn: Use Upsert to Create or Update a record)") {
        fixture.ensureAccountNumberKey()
        val key = RecordKey.alternate("accountnumber", "BYKEY-1")
        val id = fixture.records.upsert("account", key, mapOf("name" to "v1"))
        fixture.records.update("account", key, mapOf("name" to "v2"))
        fixture.records.updateWithResponse("account", key, mapOf("name" to "v3")).value shouldBe id
        val batch = fixture.client.batch {
            upsert("account", key, mapOf("name" to "v4"))
            update("account", key, mapOf("name" to "v5"))
        }
        batch.isSuccess shouldBe true
        batch.operations.forEach { op ->
            op.error shouldBe null
            op.entityId shouldBe null
        }
        fixture.records.get("account", id).getString("name") shouldBe "v5"
    }

    test("upsert by id creates the record with that id") {
        val id = UUID.randomUUID()
        fixture.records.upsert("account", id, mapOf("name" to "By id")) shouldBe id
        fixture.records.get("account", id).getString("name") shouldBe "By id"
    }

    test("alternate-key values with URL and OData metacharacters round-trip") {
        fixture.ensureAccountNumberKey()
        val values = listOf("O'Neil", "a/b", "50%", "x&y=z", "#1", "a+b c", "?q", "Zoë–東京 🚀", "''", "(a),b")
        for (value in values) {
            val id = fixture.records.create("account", mapOf("name" to "key test", "accountnumber" to value))
            fixture.records.get("account", RecordKey.alternate("accountnumber", value)).id shouldBe id
        }
    }

    test("lookups are bound with EntityReference, expanded, and annotated") {
        val contactId = fixture.records.create("contact", mapOf("firstname" to "Grace", "lastname" to "Hopper"))
        val accountId = fixture.records.create("account", mapOf("name" to "Navy", "industrycode" to 1, "primarycontactid" to EntityReference("contact", contactId)))
        val account = fixture.records.get(
            "account", accountId,
            RetrieveOptions(select = listOf("name", "industrycode", "_primarycontactid_value"), expand = listOf(Expand.raw("primarycontactid(\$select=fullname)")), includeAnnotations = true),
        )
        account.getUuid("_primarycontactid_value") shouldBe contactId
        account.lookupLogicalName("_primarycontactid_value") shouldBe "contact"
        account.formattedValue("_primarycontactid_value") shouldBe "Grace Hopper"
        account.formattedValue("industrycode") shouldNotBe null
        account.getExpanded("primarycontactid")!!.getString("fullname") shouldBe "Grace Hopper"
    }

    test("serializable classes are created, updated and decoded") {
        val id = fixture.records.create("account", NewAccount(name = "Typed", numberofemployees = 7))
        fixture.records.update("account", id, NewAccount(name = "Typed 2", numberofemployees = 8))
        fixture.records.get("account", id).decode<NewAccount>() shouldBe NewAccount(name = "Typed 2", numberofemployees = 8)
    }

    test("the service's errors for unknown tables and columns are typed") {
        shouldThrow<NotFoundException> { fixture.records.create("nosuchtable", mapOf("name" to "x")) }.message shouldContain "nosuchtable"
        shouldThrow<BadRequestException> { fixture.records.create("account", mapOf("nosuchcolumn" to "x")) }.serviceMessage!! shouldContain "nosuchcolumn"
        shouldThrow<BadRequestException> { fixture.records.get("account", RecordKey.alternate("name", "x")) }
    }

    test("invalid input sends nothing") {
        fixture.requestsDuring {
            shouldThrow<InvalidInputException> { fixture.records.create("account", mapOf("name" to Any())) }
            shouldThrow<InvalidInputException> { fixture.records.get("account'", UUID.randomUUID()) }
            shouldThrow<InvalidInputException> { fixture.records.update("account", RecordKey.id("x"), mapOf()) }
        } shouldBe 0
    }

    test("concurrent creates all land") {
        val before = fixture.emulator.recordCount("contact")
        coroutineScope {
            (1..100).map { n -> async { fixture.records.create("contact", mapOf("lastname" to "Parallel $n", "birthdate" to LocalDate.of(2000, 1, 1))) } }.awaitAll()
        }.toSet().size shouldBe 100
        fixture.emulator.recordCount("contact") shouldBe before + 100
    }
})

@Serializable
private data class NewAccount(val name: String, val numberofemployees: Int)
