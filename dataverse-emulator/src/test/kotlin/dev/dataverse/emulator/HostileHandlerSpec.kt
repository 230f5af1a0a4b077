package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * A custom API's handler that fails in any way, an [Error] included, is answered as the service answers a plug-in
 * failing with something other than InvalidPluginExecutionException: the error body with IsvUnExpected `0x80040224` and
 * "An unexpected error occurred from ISV code." (Learn: "Use InvalidPluginExecutionException in plug-ins and workflow
 * activities"; web-service-error-codes). Inside a `$batch` such a part fails alone.
 */
class HostileHandlerSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    emulator.registerCustomApi(CustomApi("sample_Error", isFunction = false) { throw AssertionError("an assertion inside the handler") })
    emulator.registerCustomApi(CustomApi("sample_Todo", isFunction = false) { throw NotImplementedError("A handler that is not written yet") })
    emulator.registerCustomApi(CustomApi("sample_Runtime", isFunction = false) { throw IllegalStateException("state") })
    emulator.registerCustomApi(CustomApi("sample_Failure", isFunction = false) { throw CustomApiFailure("The quote expired.") })

    test("a handler throwing an Error is answered with the service's error body, IsvUnExpected") {
        for (api in listOf("sample_Error", "sample_Todo", "sample_Runtime")) {
            val answer = client.post(api, "{}")
            answer.status shouldBe 500
            answer.headers["Content-Type"]!! shouldStartWith "application/json"
            answer.errorCode shouldBe "0x80040224"
            answer.errorMessage shouldStartWith "An unexpected error occurred from ISV code."
        }
        client.get("WhoAmI").status shouldBe 200
    }

    test("a handler throwing CustomApiFailure still fails as a plug-in that aborted: 400 IsvAborted with its message") {
        val answer = client.post("sample_Failure", "{}")
        answer.status shouldBe 400
        answer.errorCode shouldBe "0x80040265"
        answer.errorMessage shouldBe "The quote expired."
    }

    test("inside a \$batch, the part whose handler throws an Error fails alone") {
        val body = BatchBuilder()
            .request("POST", "sample_Error", "{}", contentId = 1)
            .request("GET", "WhoAmI", contentId = 2)
            .build()
        val response = client.batch(body, "batch_test", mapOf("Prefer" to "odata.continue-on-error"))
        val answers = BatchResponseReader.answers(response.headers["Content-Type"]!!, response.text)
        answers.map { it.status } shouldBe listOf(500, 200)
        Json.parseToJsonElement(answers[0].body).jsonObject.getValue("error").jsonObject.getValue("code").jsonPrimitive.content shouldBe "0x80040224"
        answers[1].body shouldContain "UserId"
    }
})
