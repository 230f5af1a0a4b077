package dev.dataverse.integration

import dev.dataverse.Filter
import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.ListOptions
import dev.dataverse.emulator.DataverseEmulator
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.count

class HttpEngineIntegrationSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    afterSpec { emulator.close() }

    for (engine in HttpEngine.entries) {
        test("the $engine engine creates, reads and pages like the default one") {
            DataverseClient {
                environmentUrl(emulator.baseUrl)
                token("t")
                httpEngine(engine)
            }.use { client ->
                val ids = (1..7).map { client.records.create("contact", mapOf("lastname" to "$engine $it")) }
                client.records.get("contact", ids.last()).getString("lastname") shouldBe "$engine 7"
                client.records.list("contact", ListOptions(filter = Filter.raw("startswith(lastname,'$engine ')"), pageSize = 3)).count() shouldBe 7
            }
        }
    }
})
