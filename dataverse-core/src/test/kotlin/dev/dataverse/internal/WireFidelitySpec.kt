package dev.dataverse.internal

import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.NotFoundException
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeTypeOf
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.coroutines.flow.toList

/** What the client sends and reads where the documented service differs from a naive reading of OData. */
class WireFidelitySpec : FunSpec({
    fun rows(from: Int, count: Int) = (from until from + count).joinToString(",") { """{"accountid":"00000000-0000-0000-0000-${"%012d".format(it)}","name":"r$it"}""" }
    fun HttpRequestData.hasTop() = url.parameters["\$top"] != null
    fun HttpRequestData.maxPageSize() = headers["Prefer"]?.let { Regex("odata.maxpagesize=(\\d+)").find(it)?.groupValues?.get(1)?.toInt() }

    /** A service that pages by maxpagesize and, as documented, does not cap rows by $top when both are sent. */
    fun pagingService() = MockDataverse {
        if (!it.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
        val size = it.maxPageSize() ?: 5000
        val from = it.url.parameters["from"]?.toInt() ?: 0
        val top = it.url.parameters["\$top"]?.toInt()
        if (top != null && it.maxPageSize() == null) return@MockDataverse json("""{"value":[${rows(0, top)}]}""")
        json("""{"value":[${rows(from, size)}],"@odata.nextLink":"$API/accounts?from=${from + size}"}""")
    }

    // Learn: webapi/query/overview "Limit the number of rows" and webapi/query/page-results ("don't use $top with paging").
    test("page-results: a limit larger than a page is never sent as \$top with maxpagesize, and the flow stops at it") {
        pagingService().use { mock ->
            val names = mock.client.records.list("account", ListOptions(top = 7, pageSize = 3)).toList().map { it.getString("name") }
            names shouldBe (0 until 7).map { "r$it" }
            mock.dataRequests.size shouldBe 3
            mock.dataRequests.none { it.hasTop() && it.maxPageSize() != null } shouldBe true
            mock.dataRequests.none { it.hasTop() } shouldBe true
        }
    }

    test("page-results: a limit one page can hold is one request with \$top alone") {
        pagingService().use { mock ->
            mock.client.records.list("account", ListOptions(top = 3, pageSize = 10)).toList().size shouldBe 3
            mock.dataRequests.size shouldBe 1
            mock.dataRequests.single().url.parameters["\$top"] shouldBe "3"
            mock.dataRequests.single().maxPageSize() shouldBe null
        }
    }

    test("page-results: continuation tokens of a limited listing carry what is still due") {
        pagingService().use { mock ->
            val options = ListOptions(top = 5, pageSize = 2)
            val first = mock.client.records.page("account", options)
            val second = mock.client.records.page("account", options, first.continuationToken)
            val third = mock.client.records.page("account", options, second.continuationToken)
            (first.records + second.records + third.records).map { it.getString("name") } shouldBe (0 until 5).map { "r$it" }
            third.records.size shouldBe 1
            third.continuationToken shouldBe null
            // The fragment that carries the count never reaches the service.
            mock.dataRequests.none { it.url.toString().contains("#") || it.url.fragment.isNotEmpty() } shouldBe true
        }
    }

    // Learn: webapi/query/count-rows: the count annotations come only when asked for through include-annotations.
    test("count-rows: a count asks for the totalrecordcount annotations and reads limitexceeded") {
        MockDataverse {
            if (!it.url.encodedPath.endsWith("/accounts")) return@MockDataverse null
            it.headers["Prefer"]!! shouldContain "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"
            json("""{"@odata.count":5000,"@Microsoft.Dynamics.CRM.totalrecordcount":-1,"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded":true,"value":[]}""")
        }.use { mock ->
            val count = mock.client.query.count("account")
            count.count shouldBe 5000
            count.isCapped shouldBe true
        }
    }

    // Learn: webapi/query/overview "URL length limitations": 32 KB for a GET, 64 KB for a GET inside $batch.
    test("URL length limitations: a listing whose URL passes 32 KB is sent as a GET inside \$batch") {
        val longFilter = (1..1500).joinToString(" or ") { "name eq 'n$it'" }
        MockDataverse {
            if (!it.url.encodedPath.endsWith("/\$batch")) return@MockDataverse null
            val body = it.body.toByteArray().decodeToString()
            body shouldContain "GET $API/accounts?"
            body shouldContain "Prefer: odata.maxpagesize=2"
            respond(
                "--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"value\":[${rows(0, 2)}]}\r\n--batchresponse_1--\r\n",
                HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_1"),
            )
        }.use { mock ->
            val page = mock.client.records.page("account", ListOptions(filter = Filter.raw(longFilter), pageSize = 2))
            page.records.size shouldBe 2
            mock.dataRequests.single().method.value shouldBe "POST"
        }
    }

    test("URL length limitations: the inner response's error is the typed error") {
        val longFilter = (1..1500).joinToString(" or ") { "name eq 'n$it'" }
        MockDataverse {
            if (!it.url.encodedPath.endsWith("/\$batch")) return@MockDataverse null
            respond(
                "--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n" +
                    "{\"error\":{\"code\":\"0x8006088a\",\"message\":\"Resource not found for the segment 'accounts'.\"}}\r\n--batchresponse_1--\r\n",
                HttpStatusCode.NotFound, headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_1"),
            )
        }.use { mock ->
            shouldThrow<NotFoundException> { mock.client.records.page("account", ListOptions(filter = Filter.raw(longFilter))) }
                .errorCode shouldBe "0x8006088a"
        }
    }

    test("URL length limitations: past 64 KB the read is refused before sending, naming the limit") {
        val tooLong = (1..3000).joinToString(" or ") { "name eq 'n$it'" }
        MockDataverse { null }.use { mock ->
            shouldThrow<InvalidInputException> { mock.client.records.page("account", ListOptions(filter = Filter.raw(tooLong))) }
                .message shouldContain "65536"
            shouldThrow<InvalidInputException> {
                mock.client.query.fetchXml(
                    "<fetch><entity name=\"account\"><filter type=\"or\">" +
                        (1..2500).joinToString("") { "<condition attribute=\"name\" operator=\"eq\" value=\"n$it\"/>" } +
                        "</filter></entity></fetch>",
                ).toList()
            }.message shouldContain "65536"
            mock.dataRequests.size shouldBe 0
        }
    }
})
