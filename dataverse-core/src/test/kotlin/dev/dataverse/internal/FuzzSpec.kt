package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.RecordKey
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.parseGuidOrNull
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.ktor.client.request.HttpResponseData
import io.ktor.client.request.HttpRequestData
import io.ktor.client.engine.mock.MockRequestHandleScope
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.PropTestConfig
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.choice
import io.kotest.property.arbitrary.element
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal
import java.time.Instant
import java.util.Optional
import java.util.UUID

/**
 * Seeded fuzzing of every input that reaches a URL or a payload, and of responses: each case ends in a typed error sent
 * nowhere, or in an exact round trip; malformed responses end in a [DataverseException], never a raw parser error.
 */
class FuzzSpec : FunSpec({
    val config = PropTestConfig(seed = 20261122)
    val id = UUID.fromString("00000000-0000-0000-0000-000000000001")
    val pieces = listOf("a", "Z", "_", "0", "9", "/", ".", "'", " ", "?", "#", "&", "%", "(", ")", "é", "\u0000", "\n", "😀", "-", "@", "$", "=", ",", "\\", "\uD800")
    val punctuation = arbitrary { rs -> (0 until rs.random.nextInt(0, 25)).joinToString("") { pieces.random(rs.random) } }
    val anyText = Arb.choice(punctuation, Arb.string(0..30))

    test("2,000 table names: invalid ones fail before sending, valid ones are sent as given") {
        MockDataverse { json("""{"error":{"code":"0x80040217","message":"missing"}}""", HttpStatusCode.NotFound) }.use { mock ->
            checkAll(config.copy(iterations = 2_000), anyText) { table ->
                val before = mock.requests.size
                val valid = Identifiers.isIdentifier(table)
                val error = shouldThrow<DataverseException> { mock.client.records.get(table, id) }
                if (!valid) {
                    (error is InvalidInputException) shouldBe true
                    mock.requests.size shouldBe before
                }
            }
        }
    }

    /** A create's answer: 204 with the `OData-EntityId` of the id the client put in the body, as the service answers. */
    suspend fun MockRequestHandleScope.created(request: HttpRequestData): HttpResponseData {
        val sent = Json.parseToJsonElement(request.body.toByteArray().decodeToString()) as JsonObject
        return json("", HttpStatusCode.NoContent, "OData-EntityId" to "$API/accounts(${(sent["accountid"] as JsonPrimitive).content})")
    }

    test("2,000 column names in payloads and selects: invalid ones fail before sending") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("EntityDefinitions")) null else created(it)
        }.use { mock ->
            mock.client.records.create("account", mapOf("name" to "warm-up"))
            checkAll(config.copy(iterations = 2_000), anyText) { column ->
                val before = mock.requests.size
                val valid = Identifiers.isIdentifier(column)
                if (valid) {
                    mock.client.records.create("account", mapOf(column to "x"))
                    val sent = Json.parseToJsonElement(mock.requests.last().body.toByteArray().decodeToString()) as JsonObject
                    sent[column] shouldBe JsonPrimitive("x")
                } else {
                    shouldThrow<InvalidInputException> { mock.client.records.create("account", mapOf(column to "x")) }
                    shouldThrow<InvalidInputException> { ListOptions(select = listOf(column)) }
                    mock.requests.size shouldBe before
                }
            }
        }
    }

    test("2,000 id strings: GUIDs parse to themselves, everything else is rejected") {
        val guidish = Arb.choice(anyText, arbitrary { UUID.randomUUID().toString().let { s -> if (it.random.nextBoolean()) s else "{$s}" } })
        checkAll(config.copy(iterations = 2_000), guidish) { text ->
            val parsed = parseGuidOrNull(text)
            if (parsed != null) {
                RecordKey.id(text).id shouldBe parsed
                text.trim('{', '}').lowercase() shouldBe parsed.toString()
            } else {
                shouldThrow<InvalidInputException> { RecordKey.id(text) }
            }
        }
    }

    test("2,000 values of every kind: each is sent exactly or rejected naming its column") {
        val values = arbitrary { rs ->
            when (rs.random.nextInt(12)) {
                0 -> punctuation.sample(rs).value
                1 -> rs.random.nextLong()
                2 -> rs.random.nextDouble() * listOf(1e-300, 1.0, 1e300).random(rs.random)
                3 -> listOf(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY).random(rs.random)
                4 -> BigDecimal(rs.random.nextLong()).movePointLeft(rs.random.nextInt(0, 20))
                5 -> rs.random.nextBoolean()
                6 -> UUID(rs.random.nextLong(), rs.random.nextLong())
                7 -> Instant.ofEpochSecond(rs.random.nextLong(-60_000_000_000, 250_000_000_000))
                8 -> Optional.of(1)
                9 -> listOf("a", Thread())
                10 -> null
                else -> mapOf("nested" to punctuation.sample(rs).value)
            }
        }
        MockDataverse {
            if (it.url.encodedPath.endsWith("EntityDefinitions")) null else created(it)
        }.use { mock ->
            mock.client.records.create("account", mapOf("name" to "warm-up"))
            checkAll(config.copy(iterations = 2_000), values) { value ->
                val before = mock.requests.size
                val outcome = runCatching { mock.client.records.create("account", mapOf("description" to value)) }
                val error = outcome.exceptionOrNull()
                if (error != null) {
                    (error is InvalidInputException) shouldBe true
                    error.message!!.contains("'description") shouldBe true
                    mock.requests.size shouldBe before
                } else {
                    val sent = (Json.parseToJsonElement(mock.requests.last().body.toByteArray().decodeToString()) as JsonObject)["description"]!!
                    when (value) {
                        null -> sent.toString() shouldBe "null"
                        is String -> (sent as JsonPrimitive).content shouldBe value
                        is Long, is Boolean -> (sent as JsonPrimitive).content shouldBe value.toString()
                        is Double -> (sent as JsonPrimitive).content.toDouble() shouldBe value
                        is BigDecimal -> BigDecimal((sent as JsonPrimitive).content).compareTo(value) shouldBe 0
                        is UUID -> (sent as JsonPrimitive).content shouldBe value.toString()
                        is Instant -> Instant.parse((sent as JsonPrimitive).content) shouldBe value
                        is Map<*, *> -> ((sent as JsonObject)["nested"] as JsonPrimitive).content shouldBe value["nested"]
                    }
                }
            }
        }
    }

    test("2,000 malformed responses: always a DataverseException, never a raw parser error or a hang") {
        val bodies = Arb.choice(
            Arb.string(0..80),
            Arb.element("{", "[", "{\"value\":", "{\"value\":[{]}", "<html><body>Server Error</body></html>", "null", "42", "\"x\"",
                "{\"value\":[1,2]}", "{\"error\":{\"code\":5}}", "{\"UserId\":null}", "{\"value\":[{\"accountid\":7}],\"@odata.nextLink\":5}"),
        )
        val statuses = Arb.element(200, 201, 204, 206, 301, 400, 401, 403, 404, 409, 412, 413, 429, 500, 502, 503, 504)
        var current = "" to 200
        MockDataverse {
            if (it.url.encodedPath.endsWith("EntityDefinitions")) null else respond(current.first, HttpStatusCode.fromValue(current.second), headersOf("Content-Type", "application/json"))
        }.use { mock ->
            checkAll(config.copy(iterations = 2_000), bodies, statuses, Arb.int(0..3)) { body, status, call ->
                current = body to status
                val outcome = runCatching {
                    when (call) {
                        0 -> mock.client.records.get("account", id)
                        1 -> mock.client.records.page("account")
                        2 -> mock.client.whoAmI()
                        else -> mock.client.records.create("account", mapOf("name" to "x"))
                    }
                }
                outcome.exceptionOrNull()?.let { error ->
                    if (error !is DataverseException) throw AssertionError("call $call, HTTP $status, body '$body' raised ${error::class}: ${error.message}", error)
                }
            }
            mock.requests.none { it.method == HttpMethod.Post && it.url.host != "contoso.crm.dynamics.com" } shouldBe true
        }
    }
})
