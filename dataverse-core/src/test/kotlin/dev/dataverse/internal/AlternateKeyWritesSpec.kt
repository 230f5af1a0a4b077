package dev.dataverse.internal

import dev.dataverse.BatchOutcome
import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.batch
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.UUID

/**
 * Writes by alternate key answered as Microsoft Learn shows the service answering them ("Use Upsert to Create or Update a
 * record", Web API sample code): `OData-EntityId` names the record by its key, not its id, so the id must come from the
 * representation, the key, or nowhere, and the write must never be reported as failed.
 */
class AlternateKeyWritesSpec : FunSpec({
    val id = UUID.fromString("ef0d112e-d70e-ed11-82e5-00224822577b")
    val byKey = "OData-EntityId" to "$API/accounts(accountnumber='A-1')"
    val key = RecordKey.alternate("accountnumber", "A-1")

    test("upsert by alternate key asks for the primary id only, and takes it from the representation (201 created)") {
        MockDataverse {
            if (it.method != HttpMethod.Patch) return@MockDataverse null
            // "Create with upsert and return=representation preference": 201 with the selected primary id.
            json("""{"@odata.context":"$API/${'$'}metadata#accounts(accountid)/${'$'}entity","@odata.etag":"W/\"71004878\"","accountid":"$id"}""",
                HttpStatusCode.Created, "ETag" to "W/\"71004878\"", "Preference-Applied" to "return=representation")
        }.use { mock ->
            mock.client.records.upsert("account", key, mapOf("name" to "A")) shouldBe id
            val patch = mock.dataRequests.single()
            patch.url.toString() shouldBe "$API/accounts(accountnumber='A-1')?\$select=accountid"
            patch.headers["Prefer"] shouldBe "return=representation"
            patch.headers["If-Match"].shouldBeNull()
        }
    }

    test("upsertWithResponse by alternate key gives the id, the status and the ETag of an update (200)") {
        MockDataverse {
            if (it.method != HttpMethod.Patch) return@MockDataverse null
            json("""{"@odata.etag":"W/\"71004880\"","accountid":"$id"}""", HttpStatusCode.OK, "ETag" to "W/\"71004880\"", byKey)
        }.use { mock ->
            val response = mock.client.records.upsertWithResponse("account", key, mapOf("name" to "A"))
            response.value shouldBe id
            response.statusCode shouldBe 200
            response.etag shouldBe "W/\"71004880\""
        }
    }

    test("a service that ignores return=representation and names the record by key: the id is read back by the key") {
        MockDataverse {
            when (it.method) {
                // "Create with upsert": 204 and the key in OData-EntityId, exactly as Learn shows it.
                HttpMethod.Patch -> respond("", HttpStatusCode.NoContent, headersOf(byKey.first, byKey.second))
                HttpMethod.Get -> if (it.url.encodedPath.endsWith("/EntityDefinitions")) null else json("""{"accountid":"$id"}""")
                else -> null
            }
        }.use { mock ->
            mock.client.records.upsert("account", key, mapOf("name" to "A")) shouldBe id
            val (_, read) = mock.dataRequests
            read.method shouldBe HttpMethod.Get
            read.url.toString() shouldBe "$API/accounts(accountnumber='A-1')?\$select=accountid"
        }
    }

    test("a record the key no longer finds after such an answer: the error says the write was applied") {
        MockDataverse {
            when (it.method) {
                HttpMethod.Patch -> respond("", HttpStatusCode.NoContent, headersOf(byKey.first, byKey.second))
                HttpMethod.Get -> if (it.url.encodedPath.endsWith("/EntityDefinitions")) null else
                    json("""{"error":{"code":"0x80060891","message":"A record with the specified key values does not exist in account entity"}}""", HttpStatusCode.NotFound)
                else -> null
            }
        }.use { mock ->
            shouldThrow<MalformedResponseException> { mock.client.records.upsert("account", key, mapOf("name" to "A")) }.message shouldContain
                "applied the write"
        }
    }

    test("update by alternate key succeeds on Learn's answer (204, named by key), with a single request") {
        MockDataverse {
            if (it.method == HttpMethod.Patch) respond("", HttpStatusCode.NoContent, headersOf(byKey.first, byKey.second)) else null
        }.use { mock ->
            mock.client.records.update("account", key, mapOf("name" to "B"))
            val patch = mock.dataRequests.single()
            patch.headers["If-Match"] shouldBe "*"
            patch.headers["Prefer"].shouldBeNull()
        }
    }

    test("upsert by primary id needs no representation: the id is the key's own") {
        MockDataverse {
            if (it.method == HttpMethod.Patch) respond("", HttpStatusCode.NoContent, headersOf("OData-EntityId", "$API/accounts($id)")) else null
        }.use { mock ->
            mock.client.records.upsert("account", RecordKey.id(id), mapOf("name" to "A")) shouldBe id
            mock.dataRequests.single().headers["Prefer"].shouldBeNull()
        }
    }

    test("create takes its own id when OData-EntityId cannot be read: the record was created") {
        MockDataverse {
            if (it.method == HttpMethod.Post) respond("", HttpStatusCode.NoContent, headersOf("OData-EntityId", "garbage")) else null
        }.use { mock ->
            val created = mock.client.records.create("account", mapOf("name" to "x"))
            mock.dataRequests.single().body.toByteArray().decodeToString() shouldBe """{"name":"x","accountid":"$created"}"""
        }
    }

    test("a batch upsert and update by alternate key succeed without an id and without an error") {
        MockDataverse {
            if (!it.url.encodedPath.endsWith("\$batch")) return@MockDataverse null
            val part = { n: Int ->
                "--batchresponse_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: $n\r\n\r\n" +
                    "HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\nOData-EntityId: ${byKey.second}\r\n\r\n\r\n"
            }
            respond(part(1) + part(2) + "--batchresponse_x--\r\n", HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_x"))
        }.use { mock ->
            val result = mock.client.batch {
                upsert("account", key, mapOf("name" to "A"))
                update("account", key, mapOf("name" to "B"))
            }
            result.operations shouldHaveSize 2
            result.operations.forEach { op ->
                op.outcome shouldBe BatchOutcome.SUCCEEDED
                op.error.shouldBeNull()
                op.entityId.shouldBeNull()
            }
        }
    }

    test("updateMany by alternate key (through \$batch) reports every input as succeeded") {
        MockDataverse {
            if (!it.url.encodedPath.endsWith("\$batch")) return@MockDataverse null
            val parts = (1..2).joinToString("") { n ->
                "--batchresponse_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: $n\r\n\r\n" +
                    "HTTP/1.1 204 No Content\r\nOData-EntityId: $API/accounts(accountnumber='A-$n')\r\n\r\n\r\n"
            }
            respond(parts + "--batchresponse_x--\r\n", HttpStatusCode.OK, headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_x"))
        }.use { mock ->
            val changes = (1..2).map { RecordChange(RecordKey.alternate("accountnumber", "A-$it"), mapOf("name" to "N$it")) }
            val result = mock.client.records.updateMany("account", changes)
            result.isSuccess shouldBe true
            result.failures shouldHaveSize 0
            result.ids shouldBe listOf(null, null)
        }
    }
})
