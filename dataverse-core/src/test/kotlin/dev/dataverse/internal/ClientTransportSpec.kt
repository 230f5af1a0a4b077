package dev.dataverse.internal

import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.ClientClosedException
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseClient
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.MalformedResponseException
import dev.dataverse.NotFoundException
import dev.dataverse.RecordKey
import dev.dataverse.ThrottledException
import dev.dataverse.TokenProvider
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldStartWith
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import java.time.Instant
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

class ClientTransportSpec : FunSpec({
    val accountId = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
    val entityIdHeader = "OData-EntityId" to "$API/accounts($accountId)"

    test("every request carries the standard OData headers, the token, a fresh request id and the call's correlation id") {
        MockDataverse { json("", HttpStatusCode.NoContent, entityIdHeader).takeIf { _ -> it.method == HttpMethod.Post } }.use { mock ->
            mock.client.records.create("account", mapOf("name" to "Contoso", "accountid" to accountId)) shouldBe accountId
            mock.requests shouldHaveSize 2 // metadata lookup + create
            val (lookup, create) = mock.requests
            create.method shouldBe HttpMethod.Post
            create.url.toString() shouldBe "$API/accounts"
            create.headers["Authorization"] shouldBe "Bearer secret-token"
            create.headers["Accept"] shouldBe "application/json"
            create.headers["OData-Version"] shouldBe "4.0"
            create.headers["OData-MaxVersion"] shouldBe "4.0"
            create.headers["User-Agent"]!! shouldStartWith "dataverse-kotlin/"
            create.body.contentType.toString() shouldStartWith "application/json"
            create.body.toByteArray().decodeToString() shouldBe """{"name":"Contoso","accountid":"$accountId"}"""
            val uuid = Regex("[0-9a-f-]{36}")
            create.headers["x-ms-client-request-id"]!! shouldMatch uuid
            create.headers["x-ms-client-request-id"] shouldNotBe lookup.headers["x-ms-client-request-id"]
            create.headers["x-ms-correlation-id"] shouldBe lookup.headers["x-ms-correlation-id"]
        }
    }

    test("separate public calls get separate correlation ids; the table metadata is looked up once") {
        MockDataverse { json("", HttpStatusCode.NoContent).takeIf { _ -> it.method == HttpMethod.Post } }.use { mock ->
            repeat(3) { mock.client.records.create("Account", mapOf("name" to "x$it")) }
            mock.requests.count { it.url.encodedPath.endsWith("EntityDefinitions") } shouldBe 1
            mock.dataRequests.map { it.headers["x-ms-correlation-id"] }.toSet() shouldHaveSize 3
        }
    }

    test("concurrent first calls share one metadata lookup and one token acquisition") {
        val acquisitions = AtomicInteger()
        val gate = CompletableDeferred<Unit>()
        val provider = TokenProvider { scope ->
            scope shouldBe "https://contoso.crm.dynamics.com/.default"
            acquisitions.incrementAndGet()
            gate.await()
            AccessToken("t-1", Instant.now().plusSeconds(3600))
        }
        MockDataverse({ tokenProvider(provider) }) { json("", HttpStatusCode.NoContent).takeIf { _ -> it.method == HttpMethod.Post } }
            .use { mock ->
                coroutineScope {
                    val calls = (1..200).map { async { mock.client.records.create("account", mapOf("name" to "n$it")) } }
                    delay(50)
                    gate.complete(Unit)
                    calls.awaitAll()
                }
                acquisitions.get() shouldBe 1
                mock.requests.count { it.url.encodedPath.endsWith("EntityDefinitions") } shouldBe 1
                mock.requests.all { it.headers["Authorization"] == "Bearer t-1" } shouldBe true
            }
    }

    test("an expired token is refreshed before use, a fresh one is reused") {
        val issued = AtomicInteger()
        val provider = TokenProvider {
            val n = issued.incrementAndGet()
            // The first token is inside the refresh margin, so it is never fresh; the second lasts an hour.
            AccessToken("t-$n", Instant.now().plusSeconds(if (n == 1) 30 else 3600))
        }
        MockDataverse({ tokenProvider(provider) }) { json("""{"UserId":"$accountId","BusinessUnitId":"$accountId","OrganizationId":"$accountId"}""") }
            .use { mock ->
                repeat(3) { mock.client.whoAmI() }
                mock.requests.map { it.headers["Authorization"] } shouldBe listOf("Bearer t-1", "Bearer t-2", "Bearer t-2")
            }
    }

    test("a failing token provider surfaces as AuthenticationException and nothing is sent") {
        MockDataverse({ tokenProvider { error("vault down") } }) { null }.use { mock ->
            shouldThrow<AuthenticationException> { mock.client.whoAmI() }.message shouldContain "vault down"
            mock.requests shouldHaveSize 0
        }
    }

    test("service errors map to typed exceptions carrying ids") {
        MockDataverse {
            if (it.method == HttpMethod.Get && "accounts(" in it.url.encodedPath) {
                json("""{"error":{"code":"0x80040217","message":"account With Id = $accountId Does Not Exist"}}""", HttpStatusCode.NotFound)
            } else if (it.url.encodedPath.endsWith("WhoAmI")) {
                json("""{"error":{"code":"0x80072322","message":"Number of requests exceeded"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "3")
            } else {
                null
            }
        }.use { mock ->
            val notFound = shouldThrow<NotFoundException> { mock.client.records.get("account", accountId) }
            notFound.errorCode shouldBe "0x80040217"
            notFound.clientRequestId shouldBe mock.requests.last().headers["x-ms-client-request-id"]
            notFound.correlationId shouldBe mock.requests.last().headers["x-ms-correlation-id"]
            val throttled = shouldThrow<ThrottledException> { mock.client.whoAmI() }
            throttled.retryAfter shouldBe java.time.Duration.ofSeconds(3)
        }
    }

    test("the token never appears in exception messages") {
        MockDataverse({ token("very-secret-token") }) { json("""{"error":{"code":"0x1","message":"bad"}}""", HttpStatusCode.BadRequest) }
            .use { mock ->
                val error = shouldThrow<Exception> { mock.client.whoAmI() }
                generateSequence<Throwable>(error) { it.cause }.forEach { (it.message ?: "") shouldNotContainToken "very-secret-token" }
            }
    }

    test("create sends a client-assigned primary id, and returns it even when the service omits OData-EntityId") {
        MockDataverse { json("", HttpStatusCode.NoContent).takeIf { _ -> it.method == HttpMethod.Post } }.use { mock ->
            val id = mock.client.records.create("account", mapOf("name" to "x"))
            mock.dataRequests.single().body.toByteArray().decodeToString() shouldBe """{"name":"x","accountid":"$id"}"""
        }
    }

    test("a broken connection is a transient ConnectionFailedException") {
        MockDataverse { throw java.io.IOException("connection reset") }.use { mock ->
            val error = shouldThrow<ConnectionFailedException> { mock.client.whoAmI() }
            error.isTransient shouldBe true
            error.clientRequestId shouldNotBe null
        }
    }

    test("redirects are not followed, so the token never leaves the environment") {
        MockDataverse { respond("", HttpStatusCode.Found, headersOf("Location", "https://evil.example/steal")) }.use { mock ->
            shouldThrow<dev.dataverse.DataverseException> { mock.client.whoAmI() }.statusCode shouldBe 302
            mock.requests.map { it.url.host }.toSet() shouldBe setOf("contoso.crm.dynamics.com")
        }
    }

    test("a continuation token that is not a next link of the same table is refused before sending") {
        MockDataverse { null }.use { mock ->
            val bad = listOf(
                "https://evil.example/api/data/v9.2/accounts?\$skiptoken=x", "contacts", "", "accounts?\$select=name",
                "$API/contacts?\$skiptoken=x", "$API/accounts", "$API/accounts?\$skiptoken=x\r\nX: y",
            )
            bad.forEach { token ->
                shouldThrow<InvalidInputException> { mock.client.records.page("account", ListOptions.DEFAULT, token) }
                    .message shouldContain "continuation token"
            }
            mock.dataRequests shouldHaveSize 0
        }
    }

    test("paging is lazy: a page is fetched only when its first record is needed, and pages share a correlation id") {
        val pages = AtomicInteger()
        MockDataverse {
            if (it.url.encodedPath.endsWith("/accounts")) {
                val n = pages.incrementAndGet()
                it.headers["Prefer"] shouldBe "odata.maxpagesize=2"
                json(
                    """{"value":[{"accountid":"$accountId","name":"p$n-a"},{"accountid":"$accountId","name":"p$n-b"}],
                       "@odata.nextLink":"$API/accounts?${'$'}select=name&${'$'}skiptoken=page$n"}""",
                )
            } else {
                null
            }
        }.use { mock ->
            val names = mock.client.records.list("account", ListOptions(select = listOf("name"), pageSize = 2))
                .map { it.getString("name") }.take(3).toList()
            names shouldBe listOf("p1-a", "p1-b", "p2-a")
            pages.get() shouldBe 2
            mock.dataRequests[0].url.toString() shouldBe "$API/accounts?\$select=name"
            mock.dataRequests[1].url.encodedQuery shouldContain "skiptoken=page1"
            mock.dataRequests.map { it.headers["x-ms-correlation-id"] }.toSet() shouldHaveSize 1
        }
    }

    test("invalid input is rejected before any request") {
        MockDataverse { null }.use { mock ->
            val records = mock.client.records
            shouldThrow<InvalidInputException> { records.create("account/../x", mapOf("name" to "x")) }
            shouldThrow<InvalidInputException> { records.create("account", mapOf("name'" to "x")) }
            shouldThrow<InvalidInputException> { records.create("account", mapOf("name" to Thread())) }.message shouldContain "'name'"
            shouldThrow<InvalidInputException> {
                records.create("account", mapOf("primarycontactid" to EntityReference("contact", accountId), "bad" to Any()))
            }
            shouldThrow<InvalidInputException> { records.update("account", accountId, mapOf("name" to "x"), conditions = dev.dataverse.MatchConditions.ifMatch("W/\"1\"\r\nX: y")) }
            shouldThrow<InvalidInputException> { records.get("account", RecordKey.id("1234")) }
            shouldThrow<InvalidInputException> { records.list("bad table") }
            mock.requests shouldHaveSize 0
        }
    }

    test("a closed client refuses calls without sending and cancels calls in flight") {
        val started = CompletableDeferred<Unit>()
        MockDataverse {
            if (it.url.encodedPath.endsWith("WhoAmI")) {
                started.complete(Unit)
                delay(60_000)
                null
            } else {
                null
            }
        }.use { mock ->
            coroutineScope {
                val inFlight = async { runCatching { mock.client.whoAmI() } }
                started.await()
                mock.client.close()
                inFlight.await().exceptionOrNull() shouldBe instanceOf<ClientClosedException>()
            }
            val sent = mock.requests.size
            shouldThrow<ClientClosedException> { mock.client.records.get("account", accountId) }
            mock.requests.size shouldBe sent
            mock.client.isClosed shouldBe true
        }
    }

    test("builder validation names the setting") {
        shouldThrow<InvalidInputException> { DataverseClient.builder().token("t").build() }.message shouldContain "'environmentUrl' is required"
        shouldThrow<InvalidInputException> { DataverseClient.builder().environmentUrl(MockDataverse.BASE_URL).build() }
            .message shouldContain "Credentials are required"
        shouldThrow<InvalidInputException> { DataverseClient.builder().environmentUrl(MockDataverse.BASE_URL).token("a").tokenProvider { error("") }.build() }
            .message shouldContain "only one"
        shouldThrow<InvalidInputException> { DataverseClient.builder().token(" ") }.message shouldContain "'token'"
        shouldThrow<InvalidInputException> { DataverseClient.builder().maxConnections(0) }.message shouldContain "'maxConnections'"
        shouldThrow<InvalidInputException> { DataverseClient.builder().apiVersion("9.2") }.message shouldContain "'apiVersion'"
        shouldThrow<InvalidInputException> { DataverseClient.builder().requestTimeout(java.time.Duration.ZERO) }.message shouldContain "'requestTimeout'"
        shouldThrow<InvalidInputException> { DataverseClient.builder().applicationId("my app") }.message shouldContain "'applicationId'"
    }

    test("AccessToken never prints its token") {
        AccessToken("abc.def.ghi", Instant.MAX).toString() shouldNotContainToken "abc.def.ghi"
    }
})

private infix fun String.shouldNotContainToken(token: String) {
    if (contains(token)) throw AssertionError("Text contains the token: $this")
}

private inline fun <reified T> instanceOf() = object : io.kotest.matchers.Matcher<Any?> {
    override fun test(value: Any?) = io.kotest.matchers.MatcherResult(
        value is T, { "expected ${T::class.simpleName} but was $value" }, { "expected not ${T::class.simpleName}" },
    )
}
