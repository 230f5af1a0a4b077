package dev.dataverse.internal

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import dev.dataverse.RequestTimeoutException
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import kotlinx.coroutines.delay
import org.slf4j.LoggerFactory
import java.util.UUID
import kotlin.time.Duration.Companion.milliseconds

class ObservabilitySpec : FunSpec({
    val token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvbnRvc28ifQ.c2lnbmF0dXJl"

    fun capture(block: () -> Unit): List<ILoggingEvent> {
        val root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) as Logger
        val appender = ListAppender<ILoggingEvent>().apply { start() }
        val previous = root.level
        root.level = Level.TRACE
        root.addAppender(appender)
        try {
            block()
        } finally {
            root.detachAppender(appender)
            root.level = previous
        }
        return appender.list.toList()
    }

    test("each request is logged once at DEBUG with method, path, status, duration and request id") {
        val events = capture {
            MockDataverse { json("""{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}""") }
                .use { kotlinx.coroutines.runBlocking { it.client.whoAmI() } }
        }
        val lines = events.filter { it.loggerName.endsWith("HttpTransport") && it.level == Level.DEBUG }.map { it.formattedMessage }
        lines shouldHaveSize 1
        lines.single() shouldContain "GET https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI -> 200 in "
        lines.single() shouldContain "client request id "
    }

    test("a TRACE capture of a full run with bodies logged, retries and errors contains no token") {
        val events = capture {
            MockDataverse({ token(token); logBodies(true) }) { request ->
                when {
                    request.method == HttpMethod.Post -> json("""{"error":{"code":"0x80072322","message":"throttled"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "0")
                    else -> null
                }
            }.use { mock ->
                kotlinx.coroutines.runBlocking {
                    runCatching { mock.client.records.create("account", mapOf("name" to "Contoso", "description" to "Bearer $token")) }
                    runCatching { mock.client.records.get("account", UUID.randomUUID()) }
                }
                mock.requests.any { it.headers["Authorization"] == "Bearer $token" } shouldBe true
            }
        }
        events.any { it.formattedMessage.contains("request body") } shouldBe true
        events.any { it.formattedMessage.contains("retrying") } shouldBe true
        events.forEach { event ->
            val text = event.formattedMessage + (event.throwableProxy?.message ?: "")
            if (text.contains(token) || text.contains(token.substringBefore('.') + ".")) throw AssertionError("token logged: $text")
        }
    }

    test("the operation timeout bounds a whole call, retries included") {
        MockDataverse({ token("t"); operationTimeout(200.milliseconds) }) { request ->
            if (request.url.encodedPath.endsWith("WhoAmI")) {
                delay(10_000)
                null
            } else {
                null
            }
        }.use { mock ->
            shouldThrow<RequestTimeoutException> { mock.client.whoAmI() }.message shouldContain "operation timeout"
        }
    }
})
