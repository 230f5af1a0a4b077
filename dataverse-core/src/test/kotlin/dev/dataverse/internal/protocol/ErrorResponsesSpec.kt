package dev.dataverse.internal.protocol

import dev.dataverse.AuthenticationException
import dev.dataverse.AuthorizationException
import dev.dataverse.BadRequestException
import dev.dataverse.DataverseException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.NotFoundException
import dev.dataverse.RequestTooLargeException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.internal.RequestIds
import dev.dataverse.ServiceUnavailableException
import dev.dataverse.ThrottledException
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeTypeOf
import java.time.Duration

class ErrorResponsesSpec : FunSpec({
    val ids = RequestIds("client-1", "correlation-1")
    fun parse(status: Int, body: String, headers: Map<String, String> = emptyMap()): DataverseException =
        ErrorResponses.toException(status, { name -> headers.entries.firstOrNull { it.key.equals(name, true) }?.value }, Body.of(body), ids)

    test("a missing record maps to NotFoundException with code, message and ids") {
        val error = parse(
            404,
            """{"error":{"code":"0x80040217","message":"account With Id = 9f3c Does Not Exist"}}""",
            mapOf("x-ms-service-request-id" to "svc-1"),
        )
        error.shouldBeTypeOf<NotFoundException>()
        error.statusCode shouldBe 404
        error.errorCode shouldBe "0x80040217"
        error.serviceMessage shouldBe "account With Id = 9f3c Does Not Exist"
        error.serviceRequestId shouldBe "svc-1"
        error.clientRequestId shouldBe "client-1"
        error.correlationId shouldBe "correlation-1"
        error.isTransient shouldBe false
        error.message shouldContain "HTTP 404 (0x80040217): account With Id = 9f3c Does Not Exist"
    }

    test("429 and the service-protection codes map to ThrottledException with Retry-After") {
        val throttled = parse(
            429,
            """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""",
            mapOf("Retry-After" to "17"),
        )
        throttled.shouldBeTypeOf<ThrottledException>()
        throttled.retryAfter shouldBe Duration.ofSeconds(17)
        throttled.isTransient shouldBe true
        parse(503, """{"error":{"code":"0x80072326","message":"Number of concurrent requests exceeded the limit of 52."}}""")
            .shouldBeTypeOf<ThrottledException>()
    }

    test("412 is a duplicate when the code or message says so, else a version mismatch") {
        parse(412, """{"error":{"code":"0x80040237","message":"A record with matching key values already exists."}}""")
            .shouldBeTypeOf<DuplicateRecordException>()
        parse(412, """{"error":{"code":"","message":"A record with matching key values already exists."}}""")
            .shouldBeTypeOf<DuplicateRecordException>()
        val mismatch = parse(412, """{"error":{"code":"0x80060882","message":"The version of the existing record doesn't match the RowVersion property provided."}}""")
        mismatch.shouldBeTypeOf<PreconditionFailedException>()
        mismatch.errorCode shouldBe "0x80060882"
    }

    test("a duplicate-detection refusal is told by its code, whichever status Learn's pages give it (500 or 412)") {
        // Learn, "Detect duplicate data using the Web API": HTTP/1.1 500 Internal Server Error with this body.
        val body = """{"error":{"code":"0x80040333","message":"A record was not created or updated because a duplicate of the current record already exists."}}"""
        for (status in listOf(500, 412)) {
            val error = parse(status, body)
            error.shouldBeTypeOf<DataverseException>()
            error.errorCode shouldBe "0x80040333"
            error.isTransient shouldBe false
        }
    }

    test("other statuses map to their types") {
        parse(400, """{"error":{"code":"0x80044331","message":"too long"}}""").shouldBeTypeOf<BadRequestException>()
        parse(401, "").shouldBeTypeOf<AuthenticationException>()
        parse(403, """{"error":{"code":"0x80040220","message":"no privilege"}}""").shouldBeTypeOf<AuthorizationException>()
        val unavailable = parse(503, "<html><body>Service Unavailable</body></html>")
        unavailable.shouldBeTypeOf<ServiceUnavailableException>()
        unavailable.isTransient shouldBe true
        unavailable.errorCode shouldBe null
        unavailable.message shouldContain "Service Unavailable"
        val other = parse(405, """{"error":{"code":"0x8006088a","message":"not allowed"}}""")
        other::class shouldBe DataverseException::class
    }

    test("an empty code and a top-level message are understood, a blank body still yields a message") {
        parse(400, """{"code":"0x1","message":"top-level"}""").serviceMessage shouldBe "top-level"
        parse(400, """{"error":{"code":"","message":"m"}}""").errorCode shouldBe null
        parse(500, "").message shouldContain "no error details"
        parse(500, "").shouldBeInstanceOf<DataverseException>()
    }

    // Learn: reference/web-service-error-codes (RecordNotFoundByEntityKey, DuplicateRecordEntityKey, the duplicate
    // schema-name codes, RequestLengthTooLarge).
    test("web-service-error-codes: 0x80060891 is a missing record by key, 0x80060892 a duplicate alternate key") {
        parse(404, """{"error":{"code":"0x80060891","message":"A record with the specified key values does not exist in account entity"}}""")
            .shouldBeTypeOf<NotFoundException>()
        parse(404, """{"error":{"code":"0x8006088a","message":"Resource not found for the segment 'acounts'."}}""")
            .shouldBeTypeOf<NotFoundException>()
        parse(400, """{"error":{"code":"0x80060892","message":"A record that has the attribute values Account Number already exists."}}""")
            .shouldBeTypeOf<DuplicateRecordException>()
        parse(400, """{"error":{"code":"0x80060891","message":"A record with the specified key values does not exist in account entity"}}""")
            .shouldBeTypeOf<NotFoundException>()
        parse(412, """{"error":{"code":"0x80060892","message":"x"}}""").shouldBeTypeOf<DuplicateRecordException>()
    }

    test("web-service-error-codes: every duplicate schema-name code is a DuplicateRecordException") {
        for (code in listOf("0x80044363", "0x80047010", "0x80044361", "0x80047013", "0x80060304", "0x80060893", "0x80060894")) {
            parse(400, """{"error":{"code":"$code","message":"exists"}}""").shouldBeTypeOf<DuplicateRecordException>()
        }
    }

    test("web-service-error-codes: 413 and 0x8004418a are RequestTooLargeException, not transient") {
        val tooLarge = parse(413, """{"error":{"code":"0x8004418a","message":"The request is too large."}}""")
        tooLarge.shouldBeTypeOf<RequestTooLargeException>()
        tooLarge.isTransient shouldBe false
        parse(413, "<html><body>413 Request Entity Too Large</body></html>").shouldBeTypeOf<RequestTooLargeException>()
        parse(400, """{"error":{"code":"0x8004418a","message":"too large"}}""").shouldBeTypeOf<RequestTooLargeException>()
    }
})
