package dev.dataverse.integration

import dev.dataverse.AttemptInfo
import dev.dataverse.ConnectionFailedException
import dev.dataverse.RetryOptions
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpEngine
import dev.dataverse.HttpPolicy
import dev.dataverse.InstrumentedClient
import dev.dataverse.NotFoundException
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import java.util.Collections
import java.util.UUID

/**
 * The bearer token reaches the service, and nothing else: policies in each of their callbacks (`onRequest`,
 * `onResponse`, `onFailure`) and instrumentation (the attempt it is told about, before and after the exchange) see the
 * request's headers without `Authorization`, on both engines, for a success, an error answer and a broken connection.
 * The emulator requires the token, so every call that succeeds proves the token was on the wire.
 */
class TokenVisibilitySpec : FunSpec({
    val token = "token-never-seen-${UUID.randomUUID()}"
    val emulator = DataverseEmulator.start(EmulatorOptions(requiredToken = token))
    afterSpec { emulator.close() }

    for (engine in HttpEngine.entries) {
        test("$engine: policies and instrumentation never see the token, which still reaches the service") {
            val seen = Collections.synchronizedList(mutableListOf<Pair<String, List<Map.Entry<String, String>>>>())
            val policy = object : HttpPolicy {
                override fun onRequest(request: HttpPolicy.Request) {
                    seen += "onRequest" to request.headers
                }

                override fun onResponse(request: HttpPolicy.Request, response: HttpPolicy.Response) {
                    seen += "onResponse" to request.headers
                }

                override fun onFailure(request: HttpPolicy.Request, error: DataverseException) {
                    seen += "onFailure" to request.headers
                }
            }
            val instrumentation = DataverseInstrumentation { _: InstrumentedClient ->
                object : ClientObserver {
                    override fun operationStarted(operation: OperationInfo) = object : OperationObserver {
                        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
                            seen += "attemptStarted" to attempt.headers
                            return AttemptObserver { _, _ -> seen += "attemptEnded" to attempt.headers }
                        }

                        override fun ended(error: Throwable?) = Unit
                    }
                }
            }
            DataverseClient {
                environmentUrl(emulator.baseUrl)
                token(token)
                httpEngine(engine)
                retry(RetryOptions(maxAttempts = 1))
                addPolicy(policy)
                addInstrumentation(instrumentation)
            }.use { client ->
                val id = client.records.create("account", mapOf("name" to "Contoso"))
                client.records.get("account", id).getString("name") shouldBe "Contoso"
                shouldThrow<NotFoundException> { client.records.get("account", UUID.randomUUID()) }
            }
            // A connection that cannot be made: the exchange fails below HTTP, which policies hear of in onFailure.
            val closedPort = java.net.ServerSocket(0).use { it.localPort }
            DataverseClient {
                environmentUrl("http://127.0.0.1:$closedPort")
                token(token)
                httpEngine(engine)
                retry(RetryOptions(maxAttempts = 1))
                addPolicy(policy)
                addInstrumentation(instrumentation)
            }.use { client ->
                shouldThrow<ConnectionFailedException> { client.records.get("contact", UUID.randomUUID()) }
            }
            seen.map { it.first }.toSet() shouldContainAll setOf("onRequest", "onResponse", "onFailure", "attemptStarted", "attemptEnded")
            for ((callback, headers) in seen) {
                headers.shouldNotBeEmpty()
                headers.filter { it.key.equals("Authorization", ignoreCase = true) || token in it.value }
                    .map { "$callback saw ${it.key}" } shouldBe emptyList()
            }
        }
    }
})
