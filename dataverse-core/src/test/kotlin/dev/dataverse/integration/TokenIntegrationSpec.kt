package dev.dataverse.integration

import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import java.time.Instant
import java.util.concurrent.atomic.AtomicInteger

class TokenIntegrationSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions.builder().requiredToken("the-token").build())
    afterSpec { emulator.close() }

    test("1,000 concurrent first calls cause exactly one token acquisition, and all succeed") {
        val acquisitions = AtomicInteger()
        DataverseClient {
            environmentUrl(emulator.baseUrl)
            tokenProvider {
                acquisitions.incrementAndGet()
                delay(100) // a slow identity provider widens the window in which callers pile up
                AccessToken("the-token", Instant.now().plusSeconds(3600))
            }
        }.use { client ->
            val users = withContext(Dispatchers.Default) {
                coroutineScope { (1..1_000).map { async { client.whoAmI().userId } }.awaitAll() }
            }
            users.toSet().size shouldBe 1
            acquisitions.get() shouldBe 1
        }
    }

    test("a token the service rejects is refreshed once, then the call fails as unauthenticated") {
        val acquisitions = AtomicInteger()
        DataverseClient {
            environmentUrl(emulator.baseUrl)
            tokenProvider { AccessToken("wrong-${acquisitions.incrementAndGet()}", Instant.now().plusSeconds(3600)) }
        }.use { client ->
            shouldThrow<AuthenticationException> { client.whoAmI() }.statusCode shouldBe 401
            acquisitions.get() shouldBe 2
        }
    }
})
