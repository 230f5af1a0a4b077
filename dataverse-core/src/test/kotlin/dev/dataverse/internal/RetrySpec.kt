package dev.dataverse.internal

import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.BulkOptions
import dev.dataverse.NotFoundException
import dev.dataverse.RetryOptions
import dev.dataverse.ThrottledException
import dev.dataverse.batch
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.io.IOException
import java.time.Instant
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

class RetrySpec : FunSpec({
    val whoAmI = """{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}"""

    /** A mock whose waits are recorded instead of slept. */
    fun mock(token: String = "t", handler: suspend io.ktor.client.engine.mock.MockRequestHandleScope.(io.ktor.client.request.HttpRequestData, Int) -> io.ktor.client.request.HttpResponseData?): Pair<MockDataverse, MutableList<Duration>> {
        val waits = Collections.synchronizedList(mutableListOf<Duration>())
        val calls = AtomicInteger()
        val mock = MockDataverse({
            token(token)
            retry(RetryOptions(maxAttempts = 4))
            delay = { waits += it }
            random = Random(1)
        }) { request ->
            if (request.url.encodedPath.endsWith("EntityDefinitions")) null else handler(request, calls.incrementAndGet())
        }
        return mock to waits
    }

    test("a throttled request waits the Retry-After, then succeeds with a new request id and the same correlation id") {
        val (mock, waits) = mock { _, call ->
            if (call == 1) json("""{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "3") else json(whoAmI)
        }
        mock.use {
            mock.client.whoAmI()
            waits shouldBe listOf(3.seconds)
            val (first, second) = mock.requests
            first.headers["x-ms-client-request-id"] shouldNotBe second.headers["x-ms-client-request-id"]
            first.headers["x-ms-correlation-id"] shouldBe second.headers["x-ms-correlation-id"]
        }
    }

    test("503s are retried with backoff until success; exhausted retries throw the last error with the attempt count") {
        val (mock, waits) = mock { _, call -> if (call < 3) json("", HttpStatusCode.ServiceUnavailable) else json(whoAmI) }
        mock.use {
            mock.client.whoAmI()
            waits shouldHaveSize 2
            waits.all { it <= 1.seconds } shouldBe true
        }
        val (always, _) = mock { _, _ -> json("", HttpStatusCode.TooManyRequests, "Retry-After" to "1") }
        always.use {
            shouldThrow<ThrottledException> { always.client.whoAmI() }.attempts shouldBe 4
            always.requests shouldHaveSize 4
        }
    }

    test("a 404 is not retried") {
        val (mock, waits) = mock { _, _ -> json("""{"error":{"code":"0x80040217","message":"missing"}}""", HttpStatusCode.NotFound) }
        mock.use {
            shouldThrow<NotFoundException> { mock.client.records.get("account", UUID.randomUUID()) }.attempts shouldBe 1
            waits shouldHaveSize 0
        }
    }

    test("a 401 refreshes the token and retries once") {
        val issued = AtomicInteger()
        val waits = mutableListOf<Duration>()
        val mock = MockDataverse({
            tokenProvider { AccessToken("token-${issued.incrementAndGet()}", Instant.now().plusSeconds(3600)) }
            delay = { waits += it }
        }) { request -> if (request.headers["Authorization"] == "Bearer token-1") json("", HttpStatusCode.Unauthorized) else json(whoAmI) }
        mock.use {
            mock.client.whoAmI()
            mock.requests.map { it.headers["Authorization"] } shouldBe listOf("Bearer token-1", "Bearer token-2")
        }
        val rejecting = MockDataverse({ token("revoked") }) { json("", HttpStatusCode.Unauthorized) }
        rejecting.use {
            shouldThrow<AuthenticationException> { rejecting.client.whoAmI() }.attempts shouldBe 2
        }
    }

    test("a create whose connection dropped is retried, and the duplicate it meets counts as its own success") {
        val (mock, _) = mock { request, call ->
            if (call == 1) throw IOException("connection reset after the request was sent")
            json("""{"error":{"code":"0x80040237","message":"A record with matching key values already exists."}}""", HttpStatusCode.PreconditionFailed)
        }
        mock.use {
            val id = mock.client.records.create("account", mapOf("name" to "once"))
            val bodies = mock.dataRequests.map { it.body.toByteArray().decodeToString() }
            bodies shouldHaveSize 2
            bodies[0] shouldBe bodies[1]
            bodies[0] shouldBe """{"name":"once","accountid":"$id"}"""
        }
    }

    test("a duplicate on a first attempt is still an error") {
        val (mock, _) = mock { _, _ -> json("""{"error":{"code":"0x80040237","message":"A record with matching key values already exists."}}""", HttpStatusCode.PreconditionFailed) }
        mock.use { shouldThrow<dev.dataverse.DuplicateRecordException> { mock.client.records.create("account", mapOf("name" to "x")) } }
    }

    test("a delete whose connection dropped and whose retry finds nothing succeeds") {
        val (mock, _) = mock { _, call -> if (call == 1) throw IOException("reset") else json("""{"error":{"code":"0x80040217","message":"gone"}}""", HttpStatusCode.NotFound) }
        mock.use {
            mock.client.records.delete("account", UUID.randomUUID())
            mock.dataRequests shouldHaveSize 2
        }
    }

    test("an update with an ETag is not replayed after a dropped connection") {
        val (mock, _) = mock { _, _ -> throw IOException("reset") }
        mock.use {
            shouldThrow<dev.dataverse.ConnectionFailedException> {
                mock.client.records.update("account", UUID.randomUUID(), mapOf("name" to "x"), conditions = dev.dataverse.MatchConditions.ifMatch("W/\"1\""))
            }.attempts shouldBe 1
        }
    }

    test("a CreateMultiple chunk replayed after a dropped connection counts its duplicates as its own success") {
        val (mock, _) = mock { request, call ->
            if (call == 1) throw IOException("reset")
            json("""{"error":{"code":"0x80040237","message":"A record with matching key values already exists."}}""", HttpStatusCode.PreconditionFailed)
        }
        mock.use {
            val result = mock.client.records.createMany("account", (1..3).map { mapOf("name" to "n$it") }, BulkOptions(chunkSize = 3))
            result.isSuccess shouldBe true
            val sent = mock.dataRequests.last().body.toByteArray().decodeToString()
            result.ids.forEach { id -> sent.contains(id.toString()) shouldBe true }
        }
    }

    test("a throttled \$batch waits the Retry-After and is sent again, instead of failing every operation in it") {
        val (mock, waits) = mock { request, call ->
            if (call == 1) {
                json("""{"error":{"code":"0x80072321","message":"Combined execution time of incoming requests exceeded limit"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "2")
            } else {
                val body = request.body.toByteArray().decodeToString()
                val contentIds = Regex("Content-ID: (\\d+)").findAll(body).map { it.groupValues[1] }.toList()
                respond(
                    contentIds.joinToString("") { id ->
                        "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: $id\r\n\r\n" +
                            "HTTP/1.1 204 No Content\r\n\r\n\r\n"
                    } + "--b--\r\n",
                    HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=b"),
                )
            }
        }
        mock.use {
            val result = mock.client.batch { create("account", mapOf("name" to "a")); create("account", mapOf("name" to "b")) }
            result.isSuccess shouldBe true
            result.operations.map { it.error } shouldBe listOf(null, null)
            waits shouldBe listOf(2.seconds)
            mock.dataRequests shouldHaveSize 2
        }
    }

    test("a \$batch still throttled after the last attempt fails each of its operations with the throttling error") {
        val (mock, waits) = mock { _, _ ->
            json("""{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "1")
        }
        mock.use {
            val result = mock.client.batch(continueOnError = true) { create("account", mapOf("name" to "a")); create("account", mapOf("name" to "b")) }
            result.isSuccess shouldBe false
            result.operations.map { it.error?.javaClass } shouldBe listOf(ThrottledException::class.java, ThrottledException::class.java)
            waits shouldBe listOf(1.seconds, 1.seconds, 1.seconds)
            mock.dataRequests shouldHaveSize 4
        }
    }

    test("a batch of creates is replayed after a dropped connection and maps duplicates to success") {
        val (mock, _) = mock { request, call ->
            if (call == 1) throw IOException("reset")
            val body = request.body.toByteArray().decodeToString()
            val contentIds = Regex("Content-ID: (\\d+)").findAll(body).map { it.groupValues[1] }.toList()
            respond(
                contentIds.joinToString("") { id ->
                    "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: $id\r\n\r\n" +
                        "HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json\r\n\r\n" +
                        "{\"error\":{\"code\":\"0x80040237\",\"message\":\"A record with matching key values already exists.\"}}\r\n"
                } + "--b--\r\n",
                HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=b"),
            )
        }
        mock.use {
            val result = mock.client.batch(continueOnError = true) { create("account", mapOf("name" to "a")); create("account", mapOf("name" to "b")) }
            result.isSuccess shouldBe true
            result.operations.all { it.entityId != null } shouldBe true
            mock.dataRequests.all { it.method == HttpMethod.Post && it.url.toString() == "$API/\$batch" } shouldBe true
        }
    }
})
