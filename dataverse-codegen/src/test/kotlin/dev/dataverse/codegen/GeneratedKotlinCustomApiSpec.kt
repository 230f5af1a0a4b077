package dev.dataverse.codegen

import dev.dataverse.DataverseClient
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.MessageEntity
import dev.dataverse.MessageKind
import dev.dataverse.NotFoundException
import dev.dataverse.codegen.it.kotlin.NewArchiveRequest
import dev.dataverse.codegen.it.kotlin.NewCountAccountsRequest
import dev.dataverse.codegen.it.kotlin.NewFindNamesRequest
import dev.dataverse.codegen.it.kotlin.NewFindNamesResponse
import dev.dataverse.codegen.it.kotlin.NewScoreLeadRequest
import dev.dataverse.codegen.it.kotlin.NewScoreLeadResponse
import dev.dataverse.codegen.it.kotlin.NewTouchRequest
import dev.dataverse.emulator.DataverseEmulator
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/**
 * The custom API requests and responses generated (Kotlin) from src/test/resources/test-snapshot.json, called against
 * the emulator with the APIs registered with handlers ([TestCustomApis]). Types follow Learn's "Create and use custom
 * APIs" (custom API data types) and "CustomAPIRequestParameter table" (IsOptional).
 */
class GeneratedKotlinCustomApiSpec : FunSpec({
    lateinit var emulator: DataverseEmulator
    lateinit var client: DataverseClient
    lateinit var calls: AtomicInteger

    beforeSpec {
        emulator = DataverseEmulator.start()
        client = DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("test-token")
        }
        calls = TestCustomApis.register(emulator)
    }
    afterSpec {
        client.close()
        emulator.close()
    }

    test("a global action sends every parameter type and reads every response property type") {
        val accountId = client.records.create("account", mapOf("name" to "Owner"))
        val key = UUID.randomUUID()
        val due = Instant.parse("2026-03-01T10:15:30Z")
        val response: NewScoreLeadResponse = NewScoreLeadRequest(
            text = "hello",
            weight = 21,
            amount = BigDecimal("10.25"),
            due = due,
            tags = listOf("a", "b", "c"),
            owner = EntityReference("account", accountId),
            contact = MessageEntity("contact", mapOf("lastname" to "Doe")),
            items = listOf(MessageEntity("contact", mapOf("lastname" to "One")), MessageEntity("contact", mapOf("lastname" to "Two"))),
            rate = 3.0,
            flag = true,
            key = key,
            class_ = "vip",
            level = 100000002,
            factor = BigDecimal("1.5"),
        ).execute(client.messages)

        response.echo shouldBe "hello/vip" // `class` is a keyword: the property is class_, the parameter still `class`
        response.score shouldBe 42
        response.total!!.compareTo(BigDecimal("20.50")) shouldBe 0
        response.when_ shouldBe Instant.parse("2026-03-02T10:15:30Z")
        response.labels shouldBe listOf("c", "b", "a")
        response.reference shouldBe EntityReference("account", accountId)
        response.id shouldBe key
        response.ratio shouldBe 1.5
        response.ok shouldBe false
        response.record_.shouldNotBeNull().getString("lastname") shouldBe "Doe"
        response.records.map { it.getString("lastname") } shouldContainExactly listOf("One", "Two")
        response.level shouldBe 100000002
        response.factor!!.compareTo(BigDecimal("-1.5")) shouldBe 0
    }

    test("optional parameters left null are not sent, and absent response properties read as null") {
        val request = NewScoreLeadRequest("only required", 1)
        request.toMessageRequest().parameters.keys shouldContainExactly setOf("Text", "Weight")
        val response = request.execute(client.messages)
        response.echo shouldBe "only required"
        response.score shouldBe 2
        response.total.shouldBeNull()
        response.labels.shouldBeNull()
        response.reference.shouldBeNull()
        response.records.shouldBeEmpty()
    }

    test("a function is called with GET and its parameters") {
        val request = NewFindNamesRequest(query = "x", limit = 3)
        request.toMessageRequest().kind shouldBe MessageKind.FUNCTION
        request.execute(client.messages) shouldBe NewFindNamesResponse(count = 3, names = listOf("x-1", "x-2", "x-3"))
        NewFindNamesRequest("y").execute(client.messages).names shouldBe listOf("y-1", "y-2")
    }

    test("an entity-bound action takes its target record; a collection-bound function its table") {
        val id = client.records.create("account", mapOf("name" to "Archived"))
        val response = NewArchiveRequest(target = id, reason = "done").execute(client.messages)
        response.accountId shouldBe id
        response.reason shouldBe "archived: done"
        shouldThrow<NotFoundException> { NewArchiveRequest(UUID.randomUUID(), "missing").execute(client.messages) }

        NewCountAccountsRequest.toMessageRequest().binding.table shouldBe "account"
        NewCountAccountsRequest.execute(client.messages).count shouldBe "account".length
    }

    test("an action without response properties returns nothing") {
        val before = calls.get()
        NewTouchRequest.execute(client.messages)
        calls.get() shouldBe before + 1
    }

    test("a value that cannot be sent is a typed error before any request") {
        val before = calls.get()
        shouldThrow<InvalidInputException> { NewScoreLeadRequest("bad", 1, rate = Double.NaN).execute(client.messages) }
            .message shouldContain "Rate"
        calls.get() shouldBe before
    }
})
