package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

/**
 * Patterns an attacker sends to stop the emulator (FetchXML `like`, SQL `LIKE`, search regular expressions that make a
 * backtracking matcher run for ages), and requests that take long: each is answered correctly, other requests are
 * answered meanwhile, a request past its limit ends with the service's timeout error, and the emulator stops promptly
 * with such requests in flight. Learn: "Filter rows using FetchXml" (like), "Use SQL to query data" (LIKE), "Lucene query
 * syntax in Azure AI Search" (regular expression search), "Analyze plug-in performance" (a message operation must
 * complete within 2 minutes; past it the service throws a timeout and answers with an error).
 *
 * The test client gives up on a request after Ktor CIO's 15 s request timeout: a hung emulator fails these tests instead
 * of hanging the build; the answers expected here come in milliseconds.
 */
class HostilePatternSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }
    val search = "${emulator.baseUrl}/api/search/v2.0"
    val manyWildcards = "%a".repeat(14) + "%"

    fun fetchLike(pattern: String) = "accounts?fetchXml=" + TestClient.encode(
        "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='like' value='$pattern'/></filter></entity></fetch>",
    )

    fun sqlLike(pattern: String) = "accounts?sql=" + TestClient.encode("SELECT name FROM account WHERE name LIKE '$pattern'")

    suspend fun luceneSearch(text: String): JsonObject {
        val response = client.send(HttpMethod.Post, "$search/query", """{"search":${TestClient.quote(text)},"options":"{'querytype': 'lucene'}"}""")
        response.status shouldBe 200
        return Json.parseToJsonElement(response.json.getValue("response").jsonPrimitive.content).jsonObject
    }

    test("the LIKE and regular-expression requests that stop a backtracking matcher are answered, WhoAmI meanwhile") {
        client.create("accounts", """{"name":"${"a".repeat(40)}"}""")
        coroutineScope {
            val fetch = async { client.get(fetchLike(manyWildcards + "c")) }
            val sql = async { client.get(sqlLike(manyWildcards + "c")) }
            val regex = async { luceneSearch("/" + "a*".repeat(12) + "c/") }
            val whoAmI = client.get("WhoAmI")
            whoAmI.status shouldBe 200
            whoAmI.json.text("UserId").shouldNotBeNull()
            fetch.await().values.shouldBeEmpty()
            sql.await().values.shouldBeEmpty()
            regex.await().getValue("Value").jsonArray.shouldBeEmpty()
        }
        // The same patterns without the impossible last letter match the record.
        client.get(fetchLike(manyWildcards)).values shouldHaveSize 1
        client.get(sqlLike(manyWildcards)).values shouldHaveSize 1
        luceneSearch("/" + "a*".repeat(12) + "/").getValue("Value").jsonArray shouldHaveSize 1
    }

    test("a search regular expression too complex to run is answered with the search error, not run") {
        val answer = luceneSearch("/(a{100}){200}/")
        answer.getValue("Error").jsonObject.text("message")!! shouldContain "too complex"
        answer.getValue("Value") shouldBe JsonNull
    }

    test("requests whose handling blocks do not hold up the others: WhoAmI is answered while 24 of them wait") {
        val release = CountDownLatch(1)
        val started = AtomicInteger()
        emulator.registerCustomApi(
            CustomApi("sample_Wait", isFunction = false, responseProperties = listOf(CustomApiProperty("Done", CustomApiType.BOOLEAN))) {
                started.incrementAndGet()
                release.await(1, TimeUnit.MINUTES)
                mapOf("Done" to true)
            },
        )
        try {
            coroutineScope {
                val waiting = (1..24).map { async { client.post("sample_Wait", "{}") } }
                awaitUntil("24 handlers run at once") { started.get() == 24 }
                client.get("WhoAmI").status shouldBe 200
                started.get() shouldBe 24
                release.countDown()
                waiting.awaitAll().forEach { it.json.text("Done") shouldBe "true" }
            }
        } finally {
            release.countDown()
            emulator.unregisterCustomApi("sample_Wait")
        }
    }

    test("requests one after the other reuse the idle handling thread: 200 of them start no thread each") {
        repeat(20) { client.get("WhoAmI").status shouldBe 200 }
        val threads = ManagementFactory.getThreadMXBean()
        val before = threads.totalStartedThreadCount
        repeat(200) { client.get("WhoAmI").status shouldBe 200 }
        (threads.totalStartedThreadCount - before) shouldBeLessThanOrEqual 4L
    }

    test("a request past its limit is answered with the service's timeout error, and its work stops") {
        DataverseEmulator.start(EmulatorOptions(requestTimeout = Duration.ofMillis(300))).use { limited ->
            TestClient(limited).use { timed ->
                // 400 words of 2,000 letters against an automaton of about 6,000 states: minutes of work without a limit.
                val words = (1..400).joinToString(",") { """{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"n$it","description":"${"a".repeat(2000)}"}""" }
                timed.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", """{"Targets":[$words]}""").status shouldBe 200
                val body = """{"search":"/(.*a){2000}b/","options":"{'querytype': 'lucene'}"}"""
                val answer = timed.send(HttpMethod.Post, "${limited.baseUrl}/api/search/v2.0/query", body)
                answer.status shouldBe 500
                answer.errorCode shouldBe "0x80044151"
                answer.errorMessage shouldContain "SQL timeout expired"
                // Its work ended: a reset, which waits for the requests being handled, goes through.
                val reset = thread { limited.reset() }
                awaitUntil("the reset after the timed-out search") { !reset.isAlive }
                limited.recordCount("account") shouldBe 0
            }
        }
    }

    test("a request whose handler never returns is answered with the timeout error at its limit") {
        DataverseEmulator.start(EmulatorOptions(requestTimeout = Duration.ofMillis(200))).use { limited ->
            val release = CountDownLatch(1)
            limited.registerCustomApi(CustomApi("sample_Stuck", isFunction = false) { release.await(); emptyMap() })
            try {
                TestClient(limited).use { timed ->
                    val answer = timed.post("sample_Stuck", "{}")
                    answer.status shouldBe 500
                    answer.errorCode shouldBe "0x80044151"
                    timed.get("WhoAmI").status shouldBe 200
                }
            } finally {
                release.countDown()
            }
        }
    }

    test("close() returns with requests in flight whose handlers never return") {
        val stuck = DataverseEmulator.start()
        val release = CountDownLatch(1)
        val started = AtomicInteger()
        stuck.registerCustomApi(CustomApi("sample_Stuck", isFunction = false) { started.incrementAndGet(); release.await(); emptyMap() })
        val client2 = TestClient(stuck)
        try {
            coroutineScope {
                val calls = (1..8).map { async { runCatching { client2.post("sample_Stuck", "{}") } } }
                awaitUntil("8 stuck handlers") { started.get() == 8 }
                val closing = thread { stuck.close() }
                awaitUntil("close() to return") { !closing.isAlive }
                // Every client sees its connection end, with no answer from a handler that never returned.
                calls.awaitAll().forEach { it.isFailure shouldBe true }
            }
        } finally {
            release.countDown()
            client2.close()
            stuck.close()
        }
    }
})
