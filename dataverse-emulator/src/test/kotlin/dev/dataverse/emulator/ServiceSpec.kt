package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.ktor.http.HttpMethod

class ServiceSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(dopHint = 7))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    test("base and API URLs point at the loopback port") {
        emulator.baseUrl shouldBe "http://127.0.0.1:${emulator.port}"
        emulator.apiUrl shouldBe "http://127.0.0.1:${emulator.port}/api/data/v9.2"
        emulator.port shouldNotBe 0
    }

    test("WhoAmI answers with stable ids, the dop hint and the standard headers") {
        val first = client.get("WhoAmI")
        val second = client.get("WhoAmI()")
        first.status shouldBe 200
        first.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"
        listOf("BusinessUnitId", "UserId", "OrganizationId").forEach { name ->
            first.json.text(name) shouldBe second.json.text(name)
            java.util.UUID.fromString(first.json.text(name))
        }
        first.headers["x-ms-dop-hint"] shouldBe "7"
        first.headers["OData-Version"] shouldBe "4.0"
        first.headers["Content-Type"] shouldBe "application/json; odata.metadata=minimal"
        first.headers["x-ms-service-request-id"] shouldNotBe second.headers["x-ms-service-request-id"]
    }

    test("the service document lists the entity sets") {
        val response = client.get("")
        response.status shouldBe 200
        response.values.map { it.text("name") } shouldContainAll listOf("accounts", "contacts", "EntityDefinitions")
    }

    test("\$metadata is CSDL with the standard entity types") {
        val response = client.get("\$metadata")
        response.status shouldBe 200
        response.text shouldContain "<EntityType Name=\"account\">"
        response.text shouldContain "<EntitySet Name=\"contacts\" EntityType=\"mscrm.contact\"/>"
    }

    test("an unknown entity set is a 404 naming the segment") {
        val response = client.get("widgets")
        response.status shouldBe 404
        // Learn ("Troubleshoot Dataverse Web API client errors"): 0x8006088a for a resource not found.
        response.errorCode shouldBe "0x8006088a"
        response.errorMessage shouldBe "Resource not found for the segment 'widgets'."
        response.headers["x-ms-dop-hint"] shouldBe "7"
    }

    test("an unsupported method is a 405 with Allow") {
        val response = client.send(HttpMethod.Put, "accounts", "{}")
        response.status shouldBe 405
        response.headers["Allow"] shouldBe "GET, POST"
        // Learn ("Troubleshoot Dataverse Web API client errors"): a function called with POST is a 404 with an empty code.
        val post = client.send(HttpMethod.Post, "WhoAmI", "{}")
        post.status shouldBe 404
        post.errorCode shouldBe ""
        post.errorMessage shouldBe "No HTTP resource was found that matches the request URI '${emulator.apiUrl}/WhoAmI'."
    }

    test("stats count requests, and reset restarts them") {
        emulator.reset()
        client.get("WhoAmI")
        client.get("WhoAmI")
        emulator.stats.requests shouldBe 2L
        emulator.stats.maxInFlight shouldBeGreaterThanOrEqual 1
        emulator.stats.toString() shouldStartWith "EmulatorStats(requests=2"
    }
})
