package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject

class AdminApiSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(faultSeed = 1))
    val client = TestClient(emulator)
    val anonymous = TestClient(emulator, token = null)
    afterSpec {
        client.close()
        anonymous.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    val admin = "${emulator.baseUrl}/_emulator"

    test("a fault rule added over HTTP without a token is listed, applies, is counted, and is removed again") {
        val rule = """{"kind":"SERVICE_UNAVAILABLE","probability":1.0,"pathPattern":"accounts.*","methods":["POST"],"retryAfterSeconds":2,"latencyMillis":0}"""
        val added = anonymous.post("$admin/faults", rule)
        added.status shouldBe 201
        TestClient.element(added.text) shouldBe TestClient.element(rule)
        emulator.faults().rules() shouldBe listOf(FaultRule(FaultKind.SERVICE_UNAVAILABLE, 1.0, setOf("POST"), "accounts.*", 2, 0))

        val listed = anonymous.get("$admin/faults")
        listed.status shouldBe 200
        listed.json.getValue("faults").jsonArray.single() shouldBe TestClient.element(rule)

        client.post("accounts", """{"name":"x"}""").status shouldBe 503
        client.get("accounts").status shouldBe 200

        val stats = anonymous.get("$admin/stats").json
        stats.text("requests") shouldBe "2"
        stats.text("faultsInjected") shouldBe "1"
        stats.getValue("faultsInjectedByKind").jsonObject.text("SERVICE_UNAVAILABLE") shouldBe "1"
        stats.keys shouldBe setOf(
            "requests", "inFlight", "maxInFlight", "throttled", "serviceProtectionRefusals", "faultsInjected", "faultsInjectedByKind", "disconnects", "connectionsAccepted", "tlsHandshakes",
            "requestsWith",
        )

        anonymous.delete("$admin/faults").status shouldBe 204
        emulator.faults().rules() shouldHaveSize 0
        client.post("accounts", """{"name":"x"}""").status shouldBe 204
    }

    test("only kind is required; defaults follow FaultRule") {
        anonymous.post("$admin/faults", """{"kind":"throttle_requests"}""").status shouldBe 201
        emulator.faults().rules().single() shouldBe FaultRule(FaultKind.THROTTLE_REQUESTS)
    }

    test("invalid rules are 400s naming the problem") {
        anonymous.post("$admin/faults", """{"probability":0.5}""").json.getValue("error").jsonObject.text("message")!! shouldContain "kind"
        anonymous.post("$admin/faults", """{"kind":"EXPLODE"}""").status shouldBe 400
        anonymous.post("$admin/faults", """{"kind":"LATENCY"}""").json.getValue("error").jsonObject.text("message")!! shouldContain "latencyMillis"
        anonymous.post("$admin/faults", """{"kind":"SERVICE_UNAVAILABLE","probability":2}""").status shouldBe 400
        anonymous.post("$admin/faults", """{"kind":"SERVICE_UNAVAILABLE","pathPattern":"("}""").status shouldBe 400
        anonymous.post("$admin/faults", """{"kind":"SERVICE_UNAVAILABLE","colour":"red"}""").status shouldBe 400
        anonymous.post("$admin/faults", "not json").status shouldBe 400
        emulator.faults().rules() shouldHaveSize 0
    }

    test("the concurrency limit is read and set over HTTP") {
        anonymous.get("$admin/concurrency-limit").json.text("limit") shouldBe "52"
        val set = anonymous.put("$admin/concurrency-limit", """{"limit":7}""")
        set.status shouldBe 200
        set.json.text("limit") shouldBe "7"
        emulator.concurrencyLimit shouldBe 7
        anonymous.put("$admin/concurrency-limit", "0").json.text("limit") shouldBe "0"
        emulator.concurrencyLimit shouldBe 0
        anonymous.put("$admin/concurrency-limit", """{"limit":-1}""").status shouldBe 400
        emulator.concurrencyLimit shouldBe 0
        emulator.concurrencyLimit = 52
    }

    test("reset over HTTP clears records, counters and faults") {
        client.create("accounts", """{"name":"Gone after reset"}""")
        emulator.faults().add(FaultRule(FaultKind.GATEWAY_TIMEOUT, pathPattern = "contacts"))
        anonymous.post("$admin/reset", "").status shouldBe 204
        emulator.recordCount("account") shouldBe 0
        emulator.faults().rules() shouldHaveSize 0
        emulator.stats.requests shouldBe 0
    }

    test("unknown admin resources are 404s and wrong methods 405s") {
        anonymous.get("$admin/nothing").status shouldBe 404
        anonymous.send(HttpMethod.Patch, "$admin/stats", "{}").status shouldBe 405
        anonymous.get("$admin/reset").status shouldBe 405
    }
})
