package dev.dataverse.internal

import dev.dataverse.BadRequestException
import dev.dataverse.DataverseException
import dev.dataverse.MalformedResponseException
import dev.dataverse.SearchFailedException
import dev.dataverse.SearchQuery
import dev.dataverse.batch
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.ChangeTracking
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.UUID

/**
 * A service that echoes the request's token — in an error's message, JSON-escaped, in a `$batch` part, in a search
 * error inside a 200 — never puts it into an exception's message. The token
 * is a fixed one, not shaped like a JWT, with characters JSON may escape (`/`, `+`), so only the client's knowledge of
 * the token in use can find it.
 */
class SecretEchoSpec : FunSpec({
    val token = "fixed/token+value~${UUID.randomUUID()}"
    // How a JSON writer may escape it: '/' as "\/", '+' as "\u002b".
    val escaped = token.replace("/", "\\/").replace("+", "\\u002b")

    fun DataverseException.messages(): String = generateSequence<Throwable>(this) { it.cause }.joinToString(" | ") { it.message.orEmpty() } +
        " | " + (this.serviceMessage ?: "")

    fun client(handler: suspend io.ktor.client.engine.mock.MockRequestHandleScope.(io.ktor.client.request.HttpRequestData) -> io.ktor.client.request.HttpResponseData?) =
        MockDataverse({ token(token) }, handler = handler)

    test("an error message echoing the token JSON-escaped, and an error without a message holding it, are redacted") {
        client {
            if (it.url.encodedPath.endsWith("/WhoAmI")) {
                json("""{"error":{"code":"0x80040220","message":"Token $escaped is not valid for this organization"}}""", HttpStatusCode.BadRequest)
            } else {
                json("""{"detail":"Bearer-less echo $escaped"}""", HttpStatusCode.Conflict)
            }
        }.use { mock ->
            val refused = shouldThrow<BadRequestException> { mock.client.whoAmI() }
            refused.messages() shouldNotContain token
            refused.messages() shouldContain "is not valid for this organization"
            val other = shouldThrow<DataverseException> { mock.client.records.get("account", UUID.randomUUID()) }
            other.messages() shouldNotContain token
            other.message shouldContain "Bearer-less echo"
        }
    }

    test("a \$batch part whose error echoes the token is redacted") {
        client {
            if (it.url.encodedPath.endsWith("\$batch")) {
                respond(
                    "--batchresponse_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
                        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n" +
                        """{"error":{"code":"0x80040220","message":"part saw $escaped"}}""" + "\r\n--batchresponse_x--\r\n",
                    HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_x"),
                )
            } else {
                null
            }
        }.use { mock ->
            val result = mock.client.batch { get("account", UUID.randomUUID()) }
            val error = result.operations.single().error
            error shouldNotBe null
            error!!.messages() shouldNotContain token
            error.message shouldContain "part saw"
        }
    }

    test("a search error inside a 200 echoing the token is redacted") {
        client {
            if (it.url.encodedPath.startsWith("/api/search/")) {
                val inner = """{"Error":{"code":"InvalidQuery","message":"query from $token failed"}}"""
                json("""{"response":${kotlinx.serialization.json.JsonPrimitive(inner)}}""")
            } else {
                null
            }
        }.use { mock ->
            val error = shouldThrow<SearchFailedException> { mock.client.search.query(SearchQuery("contoso")) }
            error.messages() shouldNotContain token
            error.message shouldContain "failed"
        }
    }

    test("a delta token with control characters is refused when it arrives, not handed to the caller") {
        val error = shouldThrow<MalformedResponseException> {
            ChangeTracking.deltaToken("$API/accounts?${'$'}deltatoken=919042%210%0D%0AX-Injected%3A%201", API, "accounts")
        }
        error.message shouldContain "control characters"
    }
})
