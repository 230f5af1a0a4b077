package dev.dataverse.internal

import dev.dataverse.BulkOperationException
import dev.dataverse.BulkOptions
import dev.dataverse.BulkOutcome
import dev.dataverse.BulkProgress
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RequestTooLargeException
import io.kotest.matchers.types.shouldBeTypeOf
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

class BulkSpec : FunSpec({
    suspend fun HttpRequestData.text() = body.toByteArray().decodeToString()
    suspend fun HttpRequestData.targets() = (Json.parseToJsonElement(text()) as JsonObject)["Targets"] as JsonArray
    fun idFor(name: String): UUID = UUID.nameUUIDFromBytes(name.toByteArray())
    /** A `$batch` answer with [statuses]; creates answer the ids in [ids] (those the client sent), else made-up ones. */
    fun batchAnswer(statuses: List<Int>, ids: List<String>? = null) = statuses.mapIndexed { i, status ->
        "--batchresponse_b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${i + 1}\r\n\r\n" +
            if (status == 204) {
                "HTTP/1.1 204 No Content\r\nOData-EntityId: $API/accounts(${ids?.get(i) ?: idFor("batch$i")})\r\n\r\n\r\n"
            } else {
                "HTTP/1.1 $status Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\":{\"code\":\"0x80044331\",\"message\":\"bad input $i\"}}\r\n"
            }
    }.joinToString("") + "--batchresponse_b--\r\n"
    val multipart = headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_b")
    /** The ids the client assigned to the targets of a CreateMultiple request, in order. */
    suspend fun HttpRequestData.sentIds() = targets().map { t -> (t as JsonObject)["accountid"]!!.jsonPrimitive.content }
    /** A CreateMultiple answer as the service gives it: the ids of the records created, which are the ones sent. */
    suspend fun HttpRequestData.echoIds() = """{"Ids":[${sentIds().joinToString(",") { "\"$it\"" }}]}"""

    test("createMany sends CreateMultiple chunks with @odata.type and returns the ids in input order") {
        val assigned = Collections.synchronizedMap(mutableMapOf<String, String>())
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                val targets = it.targets()
                targets.forEach { t -> (t as JsonObject)["@odata.type"]!!.jsonPrimitive.content shouldBe "Microsoft.Dynamics.CRM.account" }
                targets.forEach { t -> assigned[(t as JsonObject)["name"]!!.jsonPrimitive.content] = t["accountid"]!!.jsonPrimitive.content }
                json(it.echoIds())
            } else {
                null
            }
        }.use { mock ->
            val inputs = (1..25).map { mapOf("name" to "r$it") }
            val result = mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 10, maxParallelism = 3))
            result.isSuccess shouldBe true
            result.ids.map { it.toString() } shouldBe inputs.map { assigned.getValue(it["name"] as String) }
            mock.dataRequests.map { it.url.toString() }.toSet() shouldBe setOf("$API/accounts/Microsoft.Dynamics.CRM.CreateMultiple")
            mock.dataRequests shouldHaveSize 3
        }
    }

    test("a CreateMultiple answer naming records other than those sent is refused, not replayed, and names the ids sent") {
        val sent = Collections.synchronizedList(mutableListOf<List<String>>())
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                val ids = it.sentIds()
                sent += ids
                when (sent.size) {
                    1 -> json(it.echoIds())
                    // A hostile or broken answer: one foreign id in place of one sent.
                    2 -> json("""{"Ids":["${ids[0]}","${UUID.fromString("00000000-0000-0000-0000-00000000bad1")}"]}""")
                    // The right ids, but too few of them.
                    else -> json("""{"Ids":["${ids[0]}"]}""")
                }
            } else {
                null
            }
        }.use { mock ->
            val inputs = (1..6).map { mapOf("name" to "r$it") }
            val result = mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 2, maxParallelism = 1, continueOnError = true))
            result.succeeded shouldBe 2
            result.ids.take(2).map { it.toString() } shouldBe sent[0]
            result.failures.map { it.index } shouldBe listOf(2, 3, 4, 5)
            for (failure in result.failures) {
                failure.error::class shouldBe MalformedResponseException::class
                val chunkIds = sent[failure.index / 2]
                chunkIds.forEach { id -> failure.error.message shouldContain id }
            }
            result.failures.first().error.message shouldContain "00000000-0000-0000-0000-00000000bad1"
            // Nothing sent again: the records may exist, and a replay could create them twice.
            mock.dataRequests.map { it.url.encodedPath.substringAfterLast('/') } shouldBe List(3) { "Microsoft.Dynamics.CRM.CreateMultiple" }
        }
    }

    test("a failing chunk is replayed one by one: the result names exactly the bad input; fail-fast starts no further chunk") {
        val sentIds = mutableListOf<String>()
        MockDataverse {
            when {
                it.url.encodedPath.endsWith("CreateMultiple") -> {
                    val names = it.targets().map { t -> (t as JsonObject)["name"]!!.jsonPrimitive.content }
                    if ("bad" in names) {
                        json("""{"error":{"code":"0x80044331","message":"A validation error occurred."}}""", HttpStatusCode.BadRequest)
                    } else {
                        json(it.echoIds())
                    }
                }
                it.url.encodedPath.endsWith("\$batch") -> {
                    val text = it.text()
                    val bodies = Regex("\"name\":\"([^\"]+)\"").findAll(text).map { m -> m.groupValues[1] }.toList()
                    sentIds += Regex("\"accountid\":\"([^\"]+)\"").findAll(text).map { m -> m.groupValues[1] }
                    respond(batchAnswer(bodies.map { n -> if (n == "bad") 400 else 204 }, sentIds.takeLast(bodies.size)), HttpStatusCode.OK, multipart)
                }
                else -> null
            }
        }.use { mock ->
            val inputs = listOf("a", "b", "c", "bad", "e", "f", "g", "h").map { mapOf("name" to it) }
            val error = shouldThrow<BulkOperationException> {
                mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 3, maxParallelism = 1))
            }
            val result = error.result
            result.failures.map { it.index } shouldBe listOf(3)
            result.failures.single().input shouldBe mapOf("name" to "bad")
            result.failures.single().error.errorCode shouldBe "0x80044331"
            (0..5).map { result.outcome(it) } shouldBe listOf(BulkOutcome.SUCCEEDED, BulkOutcome.SUCCEEDED, BulkOutcome.SUCCEEDED, BulkOutcome.FAILED, BulkOutcome.SUCCEEDED, BulkOutcome.SUCCEEDED)
            result.notAttempted shouldBe 2
            // The id the client assigned to "e" and the service confirmed.
            result.ids[4].toString() shouldBe sentIds[1]
            mock.dataRequests.count { it.url.encodedPath.endsWith("CreateMultiple") } shouldBe 2
        }
    }

    test("with continueOnError every chunk runs and the failures are returned") {
        MockDataverse {
            when {
                it.url.encodedPath.endsWith("CreateMultiple") -> json("""{"error":{"code":"0x80044331","message":"bad"}}""", HttpStatusCode.BadRequest)
                it.url.encodedPath.endsWith("\$batch") -> respond(batchAnswer(listOf(400, 204)), HttpStatusCode.OK, multipart)
                else -> null
            }
        }.use { mock ->
            val result = mock.client.records.createMany("account", (1..6).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 2, continueOnError = true))
            result.failures.map { it.index } shouldBe listOf(0, 2, 4)
            result.succeeded shouldBe 3
        }
    }

    test("parallel chunks never exceed the service's DOP hint nor the configured maximum") {
        val inFlight = AtomicInteger()
        val maxSeen = AtomicInteger()
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                maxSeen.accumulateAndGet(inFlight.incrementAndGet(), ::maxOf)
                delay(20)
                inFlight.decrementAndGet()
                json(it.echoIds(), HttpStatusCode.OK, "x-ms-dop-hint" to "2")
            } else {
                null
            }
        }.use { mock ->
            mock.client.records.createMany("account", (1..60).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 5, maxParallelism = 8))
            maxSeen.get() shouldBeLessThanOrEqual 8
            val before = maxSeen.getAndSet(0)
            mock.client.records.createMany("account", (1..60).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 5, maxParallelism = 8))
            maxSeen.get() shouldBeLessThanOrEqual 2
            (before >= 2) shouldBe true
        }
    }

    test("progress is reported after each chunk with running totals") {
        val reports = Collections.synchronizedList(mutableListOf<BulkProgress>())
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                json(it.echoIds())
            } else {
                null
            }
        }.use { mock ->
            mock.client.records.createMany("account", (1..7).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 3, maxParallelism = 1, onProgress = { reports += it }))
            reports.map { it.processed } shouldBe listOf(3, 6, 7)
            reports.last().total shouldBe 7
            reports.last().succeeded shouldBe 7
        }
    }

    test("a flow input streams: an invalid element fails alone, the rest are created; an empty flow sends nothing") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                json(it.echoIds())
            } else {
                null
            }
        }.use { mock ->
            val inputs = flow { repeat(5) { emit(if (it == 2) mapOf("name" to Any()) else mapOf("name" to "n$it")) } }
            val result = mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 2, continueOnError = true))
            result.size shouldBe 5
            result.failures.single().index shouldBe 2
            result.failures.single().error::class shouldBe InvalidInputException::class
            result.succeeded shouldBe 4
            val sent = mock.dataRequests.size
            mock.client.records.createMany("account", flow { }).size shouldBe 0
            mock.dataRequests.size shouldBe sent
        }
    }

    test("upsertMany addresses alternate keys with @odata.id and ids with the primary key; deleteMany uses \$batch") {
        val bodies = mutableListOf<String>()
        MockDataverse {
            when {
                it.url.encodedPath.endsWith("UpsertMultiple") -> { bodies += it.text(); json("", HttpStatusCode.NoContent) }
                it.url.encodedPath.endsWith("\$batch") -> { bodies += it.text(); respond(batchAnswer(listOf(204, 204)), HttpStatusCode.OK, multipart) }
                else -> null
            }
        }.use { mock ->
            val id = UUID.fromString("00000000-0000-0000-0000-000000000042")
            val result = mock.client.records.upsertMany(
                "account",
                listOf(RecordChange(RecordKey.alternate("accountnumber", "A'1"), mapOf("name" to "x")), RecordChange.of(id, mapOf("name" to "y"))),
            )
            result.ids shouldBe listOf(null, id)
            bodies[0] shouldContain "\"@odata.id\":\"accounts(accountnumber='A''1')\""
            bodies[0] shouldContain "\"accountid\":\"$id\""
            mock.client.records.deleteMany("account", listOf(RecordKey.id(id), RecordKey.alternate("accountnumber", "B"))).isSuccess shouldBe true
            bodies[1] shouldContain "DELETE $API/accounts($id) HTTP/1.1"
            bodies[1] shouldContain "DELETE $API/accounts(accountnumber='B') HTTP/1.1"
        }
    }

    test("bad input fails before any request: empty list, invalid element, bad options") {
        MockDataverse { null }.use { mock ->
            shouldThrow<InvalidInputException> { mock.client.records.createMany("account", emptyList()) }.message shouldContain "at least one input"
            shouldThrow<InvalidInputException> {
                mock.client.records.createMany("account", listOf(mapOf("name" to "ok"), mapOf("name" to Thread())))
            }.message shouldContain "Input #1"
            shouldThrow<InvalidInputException> { mock.client.records.deleteMany("bad table", listOf(RecordKey.id(UUID.randomUUID()))) }
            shouldThrow<InvalidInputException> { BulkOptions(chunkSize = 1001) }.message shouldContain "'chunkSize'"
            shouldThrow<InvalidInputException> { BulkOptions(maxParallelism = 53) }.message shouldContain "'maxParallelism'"
            mock.requests shouldHaveSize 0
        }
    }

    // Learn: bulk-operations documents both "has not yet been implemented" and "does not support entities of type".
    for ((code, wording) in listOf(
        "0x8006088a" to "The 'CreateMultiple' message is not supported for entity 'account'.",
        "0x80040216" to "CreateMultiple has not yet been implemented.",
        "0x80040216" to "The 'CreateMultiple' method does not support entities of type 'account'.",
    )) {
        test("bulk-operations: '$wording' makes this and every later chunk go through \$batch") {
            MockDataverse {
                when {
                    it.url.encodedPath.endsWith("CreateMultiple") ->
                        json("""{"error":{"code":"$code","message":"$wording"}}""", HttpStatusCode.BadRequest)
                    it.url.encodedPath.endsWith("\$batch") -> respond(batchAnswer(listOf(204, 204)), HttpStatusCode.OK, multipart)
                    else -> null
                }
            }.use { mock ->
                val result = mock.client.records.createMany("account", (1..6).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 2, maxParallelism = 1))
                result.isSuccess shouldBe true
                mock.dataRequests.count { it.url.encodedPath.endsWith("CreateMultiple") } shouldBe 1
                mock.dataRequests.count { it.url.encodedPath.endsWith("\$batch") } shouldBe 3
            }
        }
    }

    // Learn: reference/web-service-error-codes, 0x8004418a RequestLengthTooLarge (HTTP 413).
    test("web-service-error-codes: a 413 halves the chunk, later chunks stay small, every record is written once") {
        val written = Collections.synchronizedList(ArrayList<String>())
        val sizes = Collections.synchronizedList(ArrayList<Int>())
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                val targets = it.targets()
                sizes += targets.size
                if (targets.size > 3) {
                    json("""{"error":{"code":"0x8004418a","message":"The request is too large."}}""", HttpStatusCode.PayloadTooLarge)
                } else {
                    targets.forEach { t -> written += (t as JsonObject)["name"]!!.jsonPrimitive.content }
                    json(it.echoIds())
                }
            } else {
                null
            }
        }.use { mock ->
            val inputs = (1..20).map { mapOf("name" to "r$it") }
            val result = mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 10, maxParallelism = 1))
            result.isSuccess shouldBe true
            result.ids.toList().none { it == null } shouldBe true
            written.sorted() shouldBe inputs.map { it["name"] as String }.sorted()
            // 10 refused, 5 refused, then 3+2 (the first chunk) and parts of at most 3 for the second.
            sizes.take(2) shouldBe listOf(10, 5)
            sizes.drop(2).all { it <= 3 } shouldBe true
            sizes.count { it == 10 } shouldBe 1
        }
    }

    test("web-service-error-codes: a single input still too large fails alone with RequestTooLargeException") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("CreateMultiple")) {
                val targets = it.targets()
                if (targets.any { t -> (t as JsonObject)["name"]!!.jsonPrimitive.content == "huge" }) {
                    json("""{"error":{"code":"0x8004418a","message":"The request is too large."}}""", HttpStatusCode.PayloadTooLarge)
                } else {
                    json(it.echoIds())
                }
            } else {
                null
            }
        }.use { mock ->
            val inputs = listOf("a", "b", "huge", "c").map { mapOf("name" to it) }
            val result = mock.client.records.createMany("account", inputs, BulkOptions(chunkSize = 4, continueOnError = true))
            result.succeeded shouldBe 3
            result.failures.map { it.index } shouldBe listOf(2)
            result.failures.single().error.shouldBeTypeOf<RequestTooLargeException>()
        }
    }
})
