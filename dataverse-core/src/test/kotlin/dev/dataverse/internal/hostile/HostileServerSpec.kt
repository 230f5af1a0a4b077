package dev.dataverse.internal.hostile

import dev.dataverse.BatchOutcome
import dev.dataverse.DataverseClient
import dev.dataverse.ListOptions
import dev.dataverse.MalformedResponseException
import dev.dataverse.batchRequest
import dev.dataverse.internal.hostile.HostileServer.Companion.json
import dev.dataverse.internal.hostile.HostileServer.Companion.response
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeTypeOf
import kotlinx.coroutines.flow.toList
import java.util.UUID

/**
 * The client against a server that lies: every value it sends back that the client would put on the wire (ids, next
 * links, paging cookies) is checked first, so the smuggled, foreign or endless requests such a server asks for never
 * reach the socket. The server records the bytes it receives, so "never sent" is observed on the wire itself.
 */
class HostileServerSpec : FunSpec({
    val accountDefinition = """{"value":[{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84","LogicalName":"account",
        "SchemaName":"Account","EntitySetName":"accounts","PrimaryNameAttribute":"name","PrimaryIdAttribute":"accountid"}]}"""
    val smuggle = "x) HTTP/1.1\\r\\nX-Injected: 1\\r\\n\\r\\nDELETE /api/data/v9.2/accounts(1"

    fun client(server: HostileServer): DataverseClient =
        DataverseClient.builder().environmentUrl(server.url).token("secret-token").build()

    /** Answers the account metadata lookup, and everything else as [script] says. */
    fun hostile(script: (HostileServer.Received) -> String) = HostileServer { request ->
        if (request.target.contains("/EntityDefinitions?")) json(accountDefinition) else script(request)
    }

    fun HostileServer.dataRequests() = received.filterNot { it.target.contains("/EntityDefinitions") }

    test("a MetadataId carrying CRLF and a second request line is refused, and no DELETE reaches the wire") {
        HostileServer { request ->
            if (request.target.contains("/EntityDefinitions")) {
                json(accountDefinition.replace("70816501-edb9-4740-a16c-6a5efbc05d84", smuggle))
            } else {
                response("204 No Content", "", emptyList())
            }
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.tables.delete("account") }.message shouldContain "not a GUID"
            }
            server.received.filter { it.method == "DELETE" }.shouldBeEmpty()
            server.received.filter { it.head.contains("X-Injected") }.shouldBeEmpty()
        }
    }

    test("a relative SQL next link carrying CRLF is refused before anything more is sent") {
        hostile {
            json("""{"value":[{"name":"a"}],"@odata.nextLink":"accounts?sql=x HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /api/data/v9.2/systemusers?x=1"}""")
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.query.sql("SELECT name FROM account").toList() }
                    .message shouldContain "next link"
            }
            server.dataRequests() shouldHaveSize 1
            server.received.filter { it.target.contains("systemusers") || it.head.contains("X-Injected") }.shouldBeEmpty()
        }
    }

    test("SQL next links to another host, another table, or through dot-segments, fragments or spaces are refused") {
        val links = listOf(
            "http://evil.example/api/data/v9.2/accounts?\$skiptoken=1",
            "{api}/contacts?\$skiptoken=1",
            "{api}/accounts/../systemusers?\$skiptoken=1",
            "{api}/accounts?\$skiptoken=/../../systemusers",
            "{api}/accounts?\$skiptoken=1#x",
            "{api}/accounts?\$skiptoken=1 2",
            "accounts?\$skiptoken=1",
        )
        for (link in links) {
            hostile { request -> json("""{"value":[{"name":"a"}],"@odata.nextLink":"${link.replace("{api}", request.apiUrl)}"}""") }.use { server ->
                client(server).use { client ->
                    shouldThrow<MalformedResponseException> { client.query.sql("SELECT name FROM account").toList() }
                }
                withClue(link) { server.dataRequests() shouldHaveSize 1 }
            }
        }
    }

    test("a records next link to another table is the server's fault, and is not followed") {
        hostile { request -> json("""{"value":[{"name":"a"}],"@odata.nextLink":"${request.apiUrl}/contacts?${'$'}skiptoken=1"}""") }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.records.list("account").toList() }.message shouldContain "'accounts'"
            }
            server.dataRequests() shouldHaveSize 1
        }
    }

    test("a next link the service already gave is detected, for records and for SQL, instead of being followed forever") {
        hostile { request ->
            json("""{"value":[{"name":"a"}],"@odata.nextLink":"${request.apiUrl}/accounts?${'$'}skiptoken=same"}""")
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.records.list("account", ListOptions(pageSize = 1)).toList() }
                    .message shouldContain "already sent"
                shouldThrow<MalformedResponseException> { client.query.sql("SELECT name FROM account").toList() }
                    .message shouldContain "already sent"
            }
            // Each read: the first page and the link once; the link's answer names itself again.
            server.dataRequests() shouldHaveSize 4
        }
    }

    test("a cycle of two next links is detected as well") {
        hostile { request ->
            val next = if (request.target.contains("skiptoken=a")) "b" else "a"
            json("""{"value":[{"name":"a"}],"@odata.nextLink":"${request.apiUrl}/accounts?${'$'}skiptoken=$next"}""")
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.records.list("account").toList() }
            }
            server.dataRequests() shouldHaveSize 3
        }
    }

    test("a FetchXML paging cookie the service already gave is detected instead of paging forever") {
        val cookie = "<cookie pagenumber=\\\"2\\\" pagingcookie=\\\"%253ccookie%2520page%253d%25221%2522%253e%253c%252fcookie%253e\\\" />"
        hostile {
            json("""{"@Microsoft.Dynamics.CRM.fetchxmlpagingcookie":"$cookie","@Microsoft.Dynamics.CRM.morerecords":true,"value":[{"name":"a"}]}""")
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> {
                    client.query.fetchXml("""<fetch><entity name="account"><attribute name="name"/></entity></fetch>""", pageSize = 1).toList()
                }.message shouldContain "paging cookie"
            }
            server.dataRequests() shouldHaveSize 2
        }
    }

    test("create refuses an OData-EntityId naming a record other than the one the client created") {
        val foreign = UUID.fromString("00000000-0000-0000-0000-00000000beef")
        hostile { request ->
            response("204 No Content", "", listOf("OData-EntityId" to "${request.apiUrl}/accounts($foreign)"))
        }.use { server ->
            client(server).use { client ->
                shouldThrow<MalformedResponseException> { client.records.create("account", mapOf("name" to "a")) }
                    .message shouldContain "names record $foreign"
                val mine = UUID.randomUUID()
                shouldThrow<MalformedResponseException> { client.records.create("account", mapOf("accountid" to mine.toString())) }
                    .message shouldContain "wrote record $mine"
            }
        }
    }

    test("a batch create answered with a foreign OData-EntityId reports no id, and says why") {
        val foreign = UUID.fromString("00000000-0000-0000-0000-00000000beef")
        hostile { request ->
            val part = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n" +
                "HTTP/1.1 204 No Content\r\nOData-EntityId: ${request.apiUrl}/accounts($foreign)\r\n\r\n\r\n--b--\r\n"
            response("200 OK", part, listOf("Content-Type" to "multipart/mixed; boundary=b"))
        }.use { server ->
            client(server).use { client ->
                val result = client.batch(batchRequest { create("account", mapOf("name" to "a")) })
                result.operations.single().entityId.shouldBeNull()
                result.operations.single().error.shouldBeTypeOf<MalformedResponseException>().message shouldContain "names record $foreign"
            }
        }
    }

    test("a batch response nested 3,000 multiparts deep fails as a malformed response, not a StackOverflowError") {
        val nested = HostileBodies.nestedMultipart(3_000)
        hostile { response("200 OK", nested, listOf("Content-Type" to "multipart/mixed; boundary=b0")) }.use { server ->
            client(server).use { client ->
                val result = client.batch(batchRequest { create("account", mapOf("name" to "a")) })
                result.operations.single().outcome shouldBe BatchOutcome.FAILED
                result.operations.single().error.shouldBeTypeOf<MalformedResponseException>().message shouldContain "nests a multipart"
            }
        }
    }
})
