package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement

/**
 * The admin API's JSON bodies (fault rules, canned custom APIs, limits) pass the same JSON limits as Web API bodies and
 * are refused with the same answer: too deep a body 400 with the generic OData error code, too large a body 413 with
 * RequestLengthTooLarge `0x8004418a` (Learn: reference/web-service-error-codes). The service documents neither JSON
 * limit: the depth of 400 is the emulator's, tested against what its Web API answers, not against the service.
 */
class AdminBodyLimitsSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(maxRequestBodyBytes = 64L * 1024))
    val client = TestClient(emulator)
    val admin = "${emulator.baseUrl}/_emulator"
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    fun nested(depth: Int) = "[".repeat(depth) + "\"x\"" + "]".repeat(depth)

    fun depthOf(element: JsonElement): Int {
        var depth = 0
        var current = element
        while (current is JsonArray) {
            depth++
            current = current.single()
        }
        return depth
    }

    test("a body nested deeper than Web API bodies may be is refused by the admin API with the Web API's answer") {
        val web = client.post("accounts", """{"name":"deep","description":${nested(500)}}""")
        web.status shouldBe 400
        web.errorCode shouldBe "0x80060888"
        web.errorMessage shouldContain "nested more than 400 levels"

        val canned = client.post("$admin/custom-apis", """{"uniqueName":"sample_Deep","response":{"Value":${nested(500)}}}""")
        canned.status shouldBe web.status
        canned.errorCode shouldBe web.errorCode
        canned.errorMessage shouldBe web.errorMessage
        val fault = client.post("$admin/faults", """{"kind":"LATENCY","latencyMillis":${nested(500)}}""")
        fault.status shouldBe web.status
        fault.errorCode shouldBe web.errorCode
        client.get("$admin/custom-apis").text shouldContain "\"customApis\":[]"
        emulator.faults().rules().size shouldBe 0
    }

    test("a body within the depth limit is taken by the admin API, and served back whole") {
        client.post("$admin/custom-apis", """{"uniqueName":"sample_Deep","response":{"Value":${nested(300)}}}""").status shouldBe 201
        val answer = client.post("sample_Deep", "{}")
        answer.status shouldBe 200
        depthOf(answer.json.getValue("Value")) shouldBe 300
    }

    test("a body larger than allowed is refused by the admin API with the code Web API bodies get") {
        val padding = "p".repeat(70 * 1024)
        val web = client.post("accounts", """{"name":"$padding"}""")
        web.status shouldBe 413
        web.errorCode shouldBe "0x8004418a"
        val fault = client.post("$admin/faults", """{"kind":"LATENCY","latencyMillis":1,"note":"$padding"}""")
        fault.status shouldBe 413
        fault.errorCode shouldBe web.errorCode
        emulator.faults().rules().size shouldBe 0
    }
})
