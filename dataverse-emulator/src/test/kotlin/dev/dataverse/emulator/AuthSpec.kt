package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith

class AuthSpec : FunSpec({
    val open = DataverseEmulator.start()
    val guarded = DataverseEmulator.start(EmulatorOptions.builder().requiredToken("secret-token").build())
    val anonymous = TestClient(open, token = null)
    afterSpec {
        anonymous.close()
        open.close()
        guarded.close()
    }

    test("a request without Authorization is a 401 with WWW-Authenticate and error JSON") {
        val response = anonymous.get("WhoAmI")
        response.status shouldBe 401
        response.headers["WWW-Authenticate"]!! shouldStartWith "Bearer"
        response.errorCode shouldStartWith "0x"
        response.headers["OData-Version"] shouldBe "4.0"
    }

    test("a non-Bearer scheme is a 401") {
        anonymous.get("WhoAmI", mapOf("Authorization" to "Basic dXNlcjpwYXNz")).status shouldBe 401
    }

    test("an empty bearer token is a 401") {
        anonymous.get("WhoAmI", mapOf("Authorization" to "Bearer ")).status shouldBe 401
    }

    test("any non-empty bearer token is accepted when no token is required") {
        TestClient(open, token = "anything").use { it.get("WhoAmI").status shouldBe 200 }
    }

    test("only the required token is accepted when one is set") {
        TestClient(guarded, token = "wrong-token").use { client ->
            val response = client.get("accounts")
            response.status shouldBe 401
            response.headers["WWW-Authenticate"]!! shouldStartWith "Bearer"
        }
        TestClient(guarded, token = "secret-token").use { it.get("accounts").status shouldBe 200 }
    }

    test("authentication is checked before the path is resolved") {
        anonymous.get("no-such-set").status shouldBe 401
    }
})
