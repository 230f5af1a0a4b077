package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.net.URLEncoder
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The standalone emulator, stopped with SIGTERM while requests run: the pathological LIKE patterns of a hostile client
 * and a search whose automaton has minutes of work ahead of it under a 10-minute request timeout. WhoAmI is answered while
 * they run, and the process ends promptly anyway, its clients seeing their connections end. Learn ("Analyze plug-in
 * performance") gives the service's own limit on a request, which the long search stays within.
 */
class HostileShutdownSpec : FunSpec({
    test("SIGTERM stops the emulator while pathological and long requests run; WhoAmI is answered meanwhile") {
        val child = ChildEmulator(512, "--port", "0", "--token", "t", "--request-timeout-ms", "600000")
        val pool = Executors.newFixedThreadPool(4)
        try {
            val port = child.port
            val head = "Host: 127.0.0.1:$port\r\nAuthorization: Bearer t"
            fun get(target: String, extra: String = "Connection: close") = RawHttp.exchange(port, "GET $target HTTP/1.1\r\n$head\r\n$extra")
            fun post(target: String, body: String) = body.toByteArray().let {
                RawHttp.exchange(port, "POST $target HTTP/1.1\r\n$head\r\nContent-Type: application/json\r\nContent-Length: ${it.size}\r\nConnection: close", it)
            }
            fun inFlight() = Json.parseToJsonElement(get("/_emulator/stats").body).jsonObject.getValue("inFlight").jsonPrimitive.int

            val records = (1..600).joinToString(",") {
                """{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"${"a".repeat(40)}","description":"${"a".repeat(2000)}"}"""
            }
            post("/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.CreateMultiple", """{"Targets":[$records]}""").status shouldBe 200

            val like = "%a".repeat(14) + "%c"
            val fetch = "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='like' value='$like'/></filter></entity></fetch>"
            val running = listOf(
                pool.submit(Callable { runCatching { post("/api/search/v2.0/query", """{"search":"/(.*a){2000}b/","options":"{'querytype': 'lucene'}"}""") } }),
                pool.submit(Callable { runCatching { get("/api/data/v9.2/accounts?fetchXml=" + URLEncoder.encode(fetch, Charsets.UTF_8)) } }),
                pool.submit(Callable { runCatching { get("/api/data/v9.2/accounts?sql=" + URLEncoder.encode("SELECT name FROM account WHERE name LIKE '$like'", Charsets.UTF_8)) } }),
            )
            // The LIKE requests are answered (no row matches); the search goes on.
            running.drop(1).forEach { it.get().getOrThrow().status shouldBe 200 }
            awaitUntil("the long search in flight") { inFlight() == 1 }
            val whoAmI = get("/api/data/v9.2/WhoAmI")
            whoAmI.status shouldBe 200
            whoAmI.body shouldContain "UserId"
            inFlight() shouldBeGreaterThanOrEqual 1

            child.terminate() shouldBe true
            // The search's client sees its connection end, with no answer.
            running[0].get(RawHttp.READ_TIMEOUT_MILLIS.toLong(), TimeUnit.MILLISECONDS).isFailure shouldBe true
        } finally {
            pool.shutdownNow()
            child.close()
        }
    }
})
