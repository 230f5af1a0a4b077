package dev.dataverse.internal

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import dev.dataverse.RetryOptions
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.http.HttpStatusCode
import kotlinx.coroutines.runBlocking
import org.slf4j.LoggerFactory
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TestTimeSource

/**
 * The public retry logger, `dev.dataverse.retry` (README, "Logging"): throttling at WARN, other retries at INFO, at most
 * one line per kind every 10 seconds per client, each line counting the retries it stands for. Throttling answers are
 * those Learn documents for the service-protection limits ("Service protection API limits": 429 with `Retry-After` and
 * error code 0x80072322 for the number of requests), 503 a transient failure (Learn: "Compose HTTP requests and handle
 * errors").
 */
class RetryLogSpec : FunSpec({
    val whoAmI = """{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}"""
    val throttled = """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}"""

    fun capture(block: () -> Unit): List<ILoggingEvent> {
        val logger = LoggerFactory.getLogger(RetryOptions.RETRY_LOGGER) as Logger
        val appender = ListAppender<ILoggingEvent>().apply { start() }
        val previous = logger.level
        logger.level = Level.INFO
        logger.addAppender(appender)
        try {
            block()
        } finally {
            logger.detachAppender(appender)
            logger.level = previous
        }
        return appender.list.toList()
    }

    /** A client whose every request fails once ([status], [body], [headers]) and then succeeds. */
    fun failingOnce(time: TestTimeSource, status: HttpStatusCode, body: String, vararg headers: Pair<String, String>): MockDataverse {
        val failed = ConcurrentHashMap.newKeySet<String>()
        return MockDataverse({ token("t"); timeSource = time }) { request ->
            // The first attempt of each call fails: calls are told apart by their correlation id.
            if (failed.add(request.headers["x-ms-correlation-id"]!!)) json(body, status, *headers) else json(whoAmI)
        }
    }

    test("a storm of throttled retries logs one WARN line per 10 seconds, the next one counting the skipped") {
        val time = TestTimeSource()
        val events = capture {
            failingOnce(time, HttpStatusCode.TooManyRequests, throttled, "Retry-After" to "2").use { mock ->
                runBlocking {
                    repeat(50) { mock.client.whoAmI() }
                    time += 9.seconds
                    repeat(10) { mock.client.whoAmI() }
                    time += 1.seconds
                    mock.client.whoAmI()
                }
            }
        }
        events shouldHaveSize 2
        events.forEach {
            it.level shouldBe Level.WARN
            it.loggerName shouldBe "dev.dataverse.retry"
        }
        val first = events[0].formattedMessage
        first shouldContain "GET https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI: throttled by the service (HTTP 429, 0x80072322)"
        first shouldContain "on attempt 1, retrying in 2s (the service's Retry-After)"
        first shouldNotContain "more since"
        // 49 after the first, 10 within the window: the line at 10 s stands for them.
        events[1].formattedMessage shouldContain "; 59 more since the last such line"
    }

    test("other transient failures are logged at INFO, rate-limited apart from throttling") {
        val time = TestTimeSource()
        val events = capture {
            failingOnce(time, HttpStatusCode.ServiceUnavailable, """{"error":{"code":"0x80040216","message":"busy"}}""").use { mock ->
                runBlocking { repeat(5) { mock.client.whoAmI() } }
            }
            failingOnce(time, HttpStatusCode.TooManyRequests, throttled, "Retry-After" to "1").use { mock ->
                runBlocking { mock.client.whoAmI() }
            }
        }
        events.map { it.level } shouldBe listOf(Level.INFO, Level.WARN)
        events[0].formattedMessage shouldContain "WhoAmI: attempt 1 failed (HTTP 503, 0x80040216), retrying in "
    }

    test("each client has its own window, and a logger set to ERROR hears nothing") {
        val time = TestTimeSource()
        val events = capture {
            repeat(2) {
                failingOnce(time, HttpStatusCode.TooManyRequests, throttled, "Retry-After" to "1").use { mock ->
                    runBlocking { mock.client.whoAmI() }
                }
            }
        }
        events shouldHaveSize 2
        val logger = LoggerFactory.getLogger(RetryOptions.RETRY_LOGGER) as Logger
        val appender = ListAppender<ILoggingEvent>().apply { start() }
        logger.addAppender(appender)
        try {
            logger.level = Level.ERROR
            failingOnce(TestTimeSource(), HttpStatusCode.TooManyRequests, throttled, "Retry-After" to "1").use { mock ->
                runBlocking { mock.client.whoAmI() }
            }
        } finally {
            logger.detachAppender(appender)
        }
        appender.list shouldHaveSize 0
    }
})
