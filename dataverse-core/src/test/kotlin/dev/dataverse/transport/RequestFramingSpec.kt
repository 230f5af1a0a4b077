package dev.dataverse.transport

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.RetryOptions
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith

/**
 * How requests are framed on the wire, on each engine. RFC 9110 §8.6: a user agent should not send `Content-Length` with
 * a request that has no content and whose method does not anticipate any (a GET). The JDK client adds `Content-Length: 0`
 * to every GET before JDK 19 (JDK-8283544), so on those versions only CIO is held to it.
 */
class RequestFramingSpec : FunSpec({
    withData(HttpEngine.JDK, HttpEngine.CIO) { engine: HttpEngine ->
        RawServer { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
            DataverseClient {
                environmentUrl("http://127.0.0.1:${server.port}")
                token("t")
                httpEngine(engine)
                retry(RetryOptions(maxAttempts = 1))
            }.use { client -> client.whoAmI() }
            server.requests shouldHaveSize 1
            val head = server.requests.single()
            head shouldStartWith "GET /api/data/v9.2/WhoAmI"
            if (engine != HttpEngine.JDK || Runtime.version().feature() >= 19) {
                Regex("(?im)^content-length:").containsMatchIn(head) shouldBe false
            }
            Regex("(?im)^transfer-encoding:").containsMatchIn(head) shouldBe false
        }
    }
})
