package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableType
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import java.util.UUID

/**
 * The requests of single-record writes and reads, and of the bulk actions, as Learn's Web API pages show them, and the
 * reading of their answers. Pure: no client, no transport.
 */
class RecordAndBulkCodecSpec : FunSpec({
    val account = TableMetadata("account", "accounts", "accountid", "name", "Account", null)
    val sensor = TableMetadata("contoso_sensordata", "contoso_sensordatas", "contoso_sensordataid", null, null, null, TableType.ELASTIC)
    val id = UUID.fromString("00000000-0000-0000-0000-000000000001")
    val body = RequestBody.json("""{"name":"Sample Account"}""")

    fun response(status: Int, body: String = "", vararg headers: Pair<String, String>) =
        ApiResponse(status, ResponseHeaders.of(headers.associate { it.first to listOf(it.second) }), Body.of(body))

    test("create: POST {set} with the body; with data returned, Prefer: return=representation and the select") {
        // Learn, "Create a table row using the Web API": POST [Organization URI]/api/data/v9.2/accounts; "Create with data
        // returned": Prefer: return=representation, with $select.
        val plain = RecordCodec.create(account, body, RecordCodec.Returned.Nothing)
        plain.method shouldBe HttpMethod.Post
        plain.target shouldBe "accounts"
        plain.headers shouldBe emptyList()
        (plain.body as RequestBody.Bytes).text() shouldBe """{"name":"Sample Account"}"""
        plain.idempotent shouldBe true

        val returning = RecordCodec.create(account, body, RecordCodec.Returned.Record(RetrieveOptions(select = listOf("name", "creditonhold"))))
        returning.target shouldBe "accounts?\$select=name,creditonhold"
        returning.headers shouldBe listOf("Prefer" to "return=representation")
    }

    test("update: PATCH {set}(id) with If-Match, * when any version will do; an ETag makes it unsafe to replay") {
        // Learn, "Update and delete table rows using the Web API": PATCH accounts(<id>) with If-Match: * to prevent a create.
        val any = RecordCodec.update(account, RecordKey.id(id), body, dev.dataverse.MatchConditions.NONE, RecordCodec.Returned.Nothing)
        any.method shouldBe HttpMethod.Patch
        any.target shouldBe "accounts($id)"
        any.headers shouldBe listOf("If-Match" to "*")
        any.idempotent shouldBe true
        val conditional = RecordCodec.update(account, RecordKey.id(id), body, dev.dataverse.MatchConditions.ifMatch("W/\"12345\""), RecordCodec.Returned.Nothing)
        conditional.headers shouldBe listOf("If-Match" to "W/\"12345\"")
        conditional.idempotent shouldBe false
    }

    test("upsert by alternate key, get, delete and a reference address the record as Learn shows") {
        // Learn, "Use Upsert to Create or Update a record": PATCH accounts(accountnumber='0003') without If-Match.
        val upsert = RecordCodec.upsert(account, RecordKey.alternate("accountnumber" to "0003"), body, dev.dataverse.MatchConditions.NONE, RecordCodec.Returned.Nothing)
        upsert.target shouldBe "accounts(accountnumber='0003')"
        upsert.headers shouldBe emptyList()

        val get = RecordCodec.get(account, RecordKey.id(id), RetrieveOptions(select = listOf("name"), includeAnnotations = true))
        get.method shouldBe HttpMethod.Get
        get.target shouldBe "accounts($id)?\$select=name"
        get.headers shouldBe listOf("Prefer" to "odata.include-annotations=\"*\"")

        RecordCodec.delete(account, RecordKey.id(id)).let { it.method to it.target } shouldBe (HttpMethod.Delete to "accounts($id)")

        // Learn, "Associate and disassociate table rows using the Web API": POST .../opportunity_customer_accounts/$ref with
        // {"@odata.id": "[Organization URI]/api/data/v9.2/opportunities(<id>)"}.
        val opportunities = TableMetadata("opportunity", "opportunities", "opportunityid", "name", "Opportunity", null)
        val api = "https://org.crm.dynamics.com/api/data/v9.2"
        val associate = RecordCodec.associate(account, id, "opportunity_customer_accounts", false, api, opportunities, id)
        associate.method shouldBe HttpMethod.Post
        associate.target shouldBe "accounts($id)/opportunity_customer_accounts/\$ref"
        (associate.body as RequestBody.Bytes).text() shouldBe """{"@odata.id":"$api/opportunities($id)"}"""
        RecordCodec.disassociate(account, id, "opportunity_customer_accounts", id).target shouldBe "accounts($id)/opportunity_customer_accounts($id)/\$ref"
        RecordCodec.disassociate(account, id, "parentaccountid", null).target shouldBe "accounts($id)/parentaccountid/\$ref"
    }

    test("the id of a create comes from OData-EntityId and must be the one the client assigned") {
        val entityId = "https://org.crm.dynamics.com/api/data/v9.2/accounts($id)"
        RecordCodec.createdId(response(204, "", "OData-EntityId" to entityId), account, id) shouldBe id
        RecordCodec.createdId(response(204), account, id) shouldBe id
        shouldThrow<MalformedResponseException> {
            RecordCodec.createdId(response(204, "", "OData-EntityId" to entityId), account, UUID.randomUUID())
        }
    }

    test("a record is read from its bytes, with its id and etag") {
        val record = RecordCodec.record(response(200, """{"@odata.etag":"W/\"1\"","accountid":"$id","name":"Contoso"}"""), account)
        record.id shouldBe id
        record.getString("name") shouldBe "Contoso"
        record.etag shouldBe "W/\"1\""
        shouldThrow<MalformedResponseException> { RecordCodec.record(response(200, "[1]"), account) }
        shouldThrow<MalformedResponseException> { RecordCodec.record(response(200, "{\"name\":"), account) }
    }

    test("CreateMultiple: POST {set}/Microsoft.Dynamics.CRM.CreateMultiple with the prepared targets side by side") {
        // Learn, "Use bulk operation messages", CreateMultiple: {"Targets":[{"name":"...","@odata.type":"Microsoft.Dynamics.CRM.account"}, ...]}.
        val targets = listOf(
            RequestBody.json("""{"name":"a","@odata.type":"Microsoft.Dynamics.CRM.account"}"""),
            RequestBody.json("""{"name":"b","@odata.type":"Microsoft.Dynamics.CRM.account"}"""),
        )
        val request = BulkCodec.action(account, BulkCodec.CREATE_MULTIPLE, targets)
        request.method shouldBe HttpMethod.Post
        request.target shouldBe "accounts/Microsoft.Dynamics.CRM.CreateMultiple"
        request.headers shouldBe emptyList()
        Json.parseToJsonElement((request.body as RequestBody.Bytes).text()) shouldBe Json.parseToJsonElement(
            """{"Targets":[{"name":"a","@odata.type":"Microsoft.Dynamics.CRM.account"},{"name":"b","@odata.type":"Microsoft.Dynamics.CRM.account"}]}""",
        )
        // Elastic tables: the per-record statuses of a partial failure are asked for.
        BulkCodec.action(sensor, BulkCodec.CREATE_MULTIPLE, targets).headers shouldBe listOf("Prefer" to BulkItemStatuses.PREFER)
    }

    test("bulk targets address records by primary id (with partition), or by alternate key as @odata.id") {
        BulkCodec.addressing(account, RecordKey.id(id)) shouldBe mapOf("accountid" to id)
        BulkCodec.addressing(account, RecordKey.alternate("accountnumber" to "0003")) shouldBe mapOf("@odata.id" to "accounts(accountnumber='0003')")
        BulkCodec.addressing(sensor, RecordKey.partitioned(id, "device-1")) shouldBe mapOf("contoso_sensordataid" to id, "partitionid" to "device-1")
        // Learn, "Bulk operations with elastic tables", DeleteMultiple targets.
        BulkCodec.deleteTarget(sensor, RecordKey.partitioned(id, "device-1"))!!.text() shouldBe
            """{"contoso_sensordataid":"$id","partitionid":"device-1","@odata.type":"Microsoft.Dynamics.CRM.contoso_sensordata"}"""
        BulkCodec.deleteTarget(sensor, RecordKey.alternate("name" to "x")) shouldBe null
    }

    test("the Ids of a CreateMultiple answer are read without the rest of it") {
        val answer = """{"@odata.context":"x","Ids":["$id"],"other":{"deep":[1,2,3]}}"""
        BulkCodec.createdIds(response(200, answer)) shouldBe JsonArray(listOf(kotlinx.serialization.json.JsonPrimitive(id.toString())))
        BulkCodec.createdIds(response(200, "{}")) shouldBe null
        shouldThrow<MalformedResponseException> { BulkCodec.createdIds(response(200, "[]")) }
    }
})
