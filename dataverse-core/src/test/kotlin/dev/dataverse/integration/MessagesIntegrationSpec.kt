package dev.dataverse.integration

import dev.dataverse.BatchOutcome
import dev.dataverse.BypassLogic
import dev.dataverse.DataverseException
import dev.dataverse.EntityReference
import dev.dataverse.MessageEntity
import dev.dataverse.MessageRequest
import dev.dataverse.NotFoundException
import dev.dataverse.RequestOptions
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import dev.dataverse.batch
import dev.dataverse.changeSet
import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiFailure
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiProperty
import dev.dataverse.emulator.CustomApiReference
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.RequestOption
import dev.dataverse.execute
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlinx.serialization.Serializable
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID

/**
 * Messages and request options end to end: the client against the emulator over loopback HTTP. Learn: "Use Web API
 * actions", "Use Web API functions", "Create and use custom APIs", "Impersonate another user using the Web API",
 * "Bypass custom Dataverse logic", "Detect duplicate data using the Web API", "Create and update table definitions using
 * the Web API".
 */
@Serializable
@Suppress("PropertyName") // The response's property names.
data class QuoteResponse(val Total: Double, val Lines: List<String>)

class MessagesIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    beforeSpec {
        fixture.emulator.registerCustomApi(
            CustomApi(
                "sample_Quote",
                requestParameters = listOf(
                    CustomApiParameter("Customer", CustomApiType.ENTITY_REFERENCE),
                    CustomApiParameter("Lines", CustomApiType.ENTITY_COLLECTION),
                    CustomApiParameter("Discount", CustomApiType.DECIMAL, isOptional = true),
                    CustomApiParameter("ValidUntil", CustomApiType.DATE_TIME, isOptional = true),
                ),
                responseProperties = listOf(CustomApiProperty("Total", CustomApiType.FLOAT), CustomApiProperty("Lines", CustomApiType.STRING_ARRAY)),
            ) { call ->
                @Suppress("UNCHECKED_CAST")
                val lines = call.parameters["Lines"] as List<Map<String, Any?>>
                val discount = (call.parameters["Discount"] as BigDecimal?) ?: BigDecimal.ZERO
                val customer = call.parameters["Customer"] as CustomApiReference
                if (call.parameters["ValidUntil"] != null && (call.parameters["ValidUntil"] as Instant) < Instant.parse("2000-01-01T00:00:00Z")) {
                    throw CustomApiFailure("The quote for ${customer.id} expired.")
                }
                mapOf("Total" to lines.size * 10.0 - discount.toDouble(), "Lines" to lines.map { it["name"] as String })
            },
        )
        fixture.emulator.registerCustomApi(
            CustomApi(
                "sample_Rename", bindingType = CustomApiBindingType.ENTITY, boundEntityLogicalName = "account",
                requestParameters = listOf(CustomApiParameter("Suffix", CustomApiType.STRING)),
            ) { call ->
                call.target shouldNotBe null
                emptyMap()
            },
        )
        fixture.emulator.registerCustomApi(
            CustomApi(
                "sample_CountByName", isFunction = true, bindingType = CustomApiBindingType.ENTITY_COLLECTION, boundEntityLogicalName = "account",
                requestParameters = listOf(CustomApiParameter("Prefix", CustomApiType.STRING)),
                responseProperties = listOf(CustomApiProperty("Prefix", CustomApiType.STRING), CustomApiProperty("Caller", CustomApiType.GUID)),
            ) { call -> mapOf("Prefix" to call.parameters["Prefix"], "Caller" to call.userId) },
        )
    }

    test("standard messages: WhoAmI, RetrieveVersion, RetrieveTotalRecordCount") {
        fixture.client.records.create("contact", mapOf("lastname" to "Counted"))
        fixture.client.messages.whoAmI().userId shouldBe fixture.client.whoAmI().userId
        fixture.client.messages.retrieveVersion() shouldBe "9.2.0.0"
        val counts = fixture.client.messages.retrieveTotalRecordCount(listOf("account", "contact"))
        counts shouldBe mapOf("account" to fixture.emulator.recordCount("account").toLong(), "contact" to fixture.emulator.recordCount("contact").toLong())
    }

    test("an unbound custom action with record, collection, decimal and date parameters; a typed result") {
        val customer = fixture.client.records.create("account", mapOf("name" to "Customer"))
        val request = MessageRequest.action("sample_Quote") {
            parameter("Customer", EntityReference("account", customer))
            parameter("Lines", listOf(MessageEntity("account", mapOf("name" to "L1")), MessageEntity("account", mapOf("name" to "L2"))))
            parameter("Discount", BigDecimal("2.5"))
            parameter("ValidUntil", Instant.parse("2030-01-01T00:00:00Z"))
        }
        val result = fixture.client.messages.execute(request)
        result.toRecord().getDouble("Total") shouldBe 17.5
        fixture.client.messages.execute<QuoteResponse>(request) shouldBe QuoteResponse(17.5, listOf("L1", "L2"))
        val expired = MessageRequest.action("sample_Quote") {
            parameter("Customer", EntityReference("account", customer))
            parameter("Lines", emptyList<MessageEntity>())
            parameter("ValidUntil", Instant.parse("1999-01-01T00:00:00Z"))
        }
        val failure = shouldThrow<DataverseException> { fixture.client.messages.execute(expired) }
        failure.errorCode shouldBe "0x80040265"
        failure.message!! shouldContain "expired"
    }

    test("bound to a record (action without response) and to the table (function)") {
        val id = fixture.client.records.create("account", mapOf("name" to "Bound"))
        val empty = fixture.client.messages.execute(MessageRequest.action("sample_Rename") { boundTo("account", id); parameter("Suffix", "!") })
        empty.isEmpty shouldBe true
        empty.status shouldBe 204
        shouldThrow<NotFoundException> {
            fixture.client.messages.execute(MessageRequest.action("sample_Rename") { boundTo("account", UUID.randomUUID()); parameter("Suffix", "!") })
        }
        val counted = fixture.client.messages.execute(MessageRequest.function("sample_CountByName") { boundToTable("account"); parameter("Prefix", "it's & ?") })
        counted.toRecord().getString("Prefix") shouldBe "it's & ?"
    }

    test("an unknown message is NotFoundException with the service's code") {
        val error = shouldThrow<NotFoundException> { fixture.client.messages.execute(MessageRequest.function("sample_Missing").build()) }
        error.errorCode shouldBe "0x8006088a"
        error.statusCode shouldBe 404
    }

    test("messages in a batch: a function on its own, an action inside a change set") {
        val customer = fixture.client.records.create("account", mapOf("name" to "Batch customer"))
        lateinit var quote: dev.dataverse.BatchReference
        val result = fixture.client.batch {
            execute(MessageRequest.function("RetrieveVersion").build())
            changeSet {
                create("account", mapOf("name" to "In change set"))
                quote = execute(
                    MessageRequest.action("sample_Quote") {
                        parameter("Customer", EntityReference("account", customer))
                        parameter("Lines", listOf(MessageEntity("account", mapOf("name" to "B1"))))
                    },
                )
            }
        }.throwIfFailed()
        result.operations[0].messageResult!!.toMap()["Version"] shouldBe "9.2.0.0"
        result[quote].messageResult!!.toRecord().getDouble("Total") shouldBe 10.0
        result.operations[1].outcome shouldBe BatchOutcome.SUCCEEDED
    }

    test("impersonation: records are written as the impersonated user, on behalf of the caller; unknown users are refused") {
        val me = fixture.client.whoAmI().userId
        val alice = fixture.client.records.create("systemuser", mapOf("fullname" to "Alice", "azureactivedirectoryobjectid" to UUID.randomUUID().toString()))
        val objectId = fixture.client.records.get("systemuser", alice).getUuid("azureactivedirectoryobjectid")!!
        val asAlice = fixture.client.withOptions(RequestOptions(callerObjectId = objectId))
        asAlice.messages.whoAmI().userId shouldBe alice
        val written = asAlice.records.createAndGet("account", mapOf("name" to "Alice's"))
        written.getUuid("_createdby_value") shouldBe alice
        written.getUuid("_createdonbehalfby_value") shouldBe me
        written.getUuid("_modifiedby_value") shouldBe alice
        val mine = fixture.client.records.createAndGet("account", mapOf("name" to "Mine"))
        mine.getUuid("_createdby_value") shouldBe me
        mine.isNull("_createdonbehalfby_value") shouldBe true
        shouldThrow<NotFoundException> { fixture.client.withOptions(RequestOptions(callerId = UUID.randomUUID())).messages.whoAmI() }
        asAlice.close()
        fixture.client.isClosed shouldBe false
    }

    test("bypass and tag are sent per request and counted; duplicate detection refuses a duplicate only when on") {
        fixture.emulator.addDuplicateDetectionRule("account", "telephone1")
        val before = fixture.emulator.stats.requestsWith(RequestOption.BYPASS_BUSINESS_LOGIC)
        val loader = fixture.client.withOptions(RequestOptions(bypassBusinessLogic = setOf(BypassLogic.CUSTOM_SYNC), tag = "nightly load"))
        loader.records.create("account", mapOf("name" to "Loaded", "telephone1" to "+1 555 DUP"))
        fixture.emulator.stats.requestsWith(RequestOption.BYPASS_BUSINESS_LOGIC) shouldBe before + 1
        fixture.emulator.stats.lastTag shouldBe "nightly load"
        fixture.client.records.create("account", mapOf("name" to "Second", "telephone1" to "+1 555 dup"))
        val detected = shouldThrow<DataverseException> {
            fixture.client.withOptions(RequestOptions(duplicateDetection = true)).records.create("account", mapOf("name" to "Third", "telephone1" to "+1 555 DUP"))
        }
        detected.errorCode shouldBe "0x80040333"
    }

    test("schema created through a view with a solution name goes into that solution") {
        // The emulator, like the service, accepts only a solution it has.
        fixture.emulator.addSolution("Contoso_Core")
        fixture.client.withOptions(RequestOptions(solutionUniqueName = "Contoso_Core")).tables.create(TableSpec("new_Gadget", "Gadget"))
        fixture.emulator.solutionComponents("Contoso_Core") shouldContain "table:new_gadget"
    }

    test("createAndGet, updateAndGet and upsertAndGet return the written record with server-computed columns") {
        val created = fixture.client.records.createAndGet("contact", mapOf("firstname" to "Ada", "lastname" to "Lovelace"), RetrieveOptions(select = listOf("fullname", "createdon")))
        created.getString("fullname") shouldBe "Ada Lovelace"
        created.getInstant("createdon") shouldNotBe null
        val id = created.id!!
        val updated = fixture.client.records.updateAndGet("contact", dev.dataverse.RecordKey.id(id), mapOf("lastname" to "King"), conditions = dev.dataverse.MatchConditions.ifMatch(created.etag!!))
        updated.getString("fullname") shouldBe "Ada King"
        updated.etag shouldNotBe created.etag
        val upserted = fixture.client.records.upsertAndGet("contact", dev.dataverse.RecordKey.id(UUID.randomUUID()), mapOf("lastname" to "New"))
        upserted.getString("lastname") shouldBe "New"
    }
})
