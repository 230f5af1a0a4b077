package dev.dataverse.internal

import dev.dataverse.BypassLogic
import dev.dataverse.EntityReference
import dev.dataverse.EnumMember
import dev.dataverse.Expand
import dev.dataverse.InvalidInputException
import dev.dataverse.MessageEntity
import dev.dataverse.MessageKind
import dev.dataverse.MessageRequest
import dev.dataverse.RecordKey
import dev.dataverse.RequestOptions
import dev.dataverse.RetrieveOptions
import dev.dataverse.batch
import dev.dataverse.changeSet
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.BatchCodec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/** What the client sends for messages and request options, checked on the wire against the Learn pages named per test. */
class MessagesWireSpec : FunSpec({
    val accountId = UUID.fromString("00000000-0000-0000-0000-0000000000a1")
    val userId = UUID.fromString("e39c5d16-675b-48d1-8e67-667427e9c084")

    fun messageService() = MockDataverse { request ->
        when {
            request.url.encodedPath.endsWith("/EntityDefinitions") -> null
            request.method.value == "GET" -> json("""{"@odata.context":"$API/${'$'}metadata#Microsoft.Dynamics.CRM.XResponse","Value":42}""")
            else -> respond("", HttpStatusCode.NoContent)
        }
    }

    suspend fun HttpRequestData.bodyJson(): JsonObject = Json.parseToJsonElement(body.toByteArray().decodeToString()).jsonObject

    // Learn: "Use Web API functions" (passing parameters with parameter aliases).
    test("use-web-api-functions: hostile string values travel in parameter aliases, quoted, doubled and percent-encoded") {
        messageService().use { mock ->
            val hostile = "O'Neil & Sons?#/%+ ' or 1 eq 1)"
            mock.client.messages.execute(MessageRequest.function("sample_Find") { parameter("Name", hostile); parameter("Limit", 5) })
            val request = mock.dataRequests.single()
            request.url.encodedPath shouldBe "/api/data/v9.2/sample_Find(Name=@p1,Limit=@p2)"
            request.url.parameters["@p1"] shouldBe "'" + hostile.replace("'", "''") + "'"
            request.url.parameters["@p2"] shouldBe "5"
            request.url.encodedQuery shouldNotContain "&%20Sons"
            request.url.encodedQuery.split('&').size shouldBe 2
        }
    }

    test("use-web-api-functions: GUIDs, dates, enums, collections and record references as aliases") {
        messageService().use { mock ->
            mock.client.messages.execute(
                MessageRequest.function("sample_Report") {
                    boundTo("account", accountId)
                    parameter("Id", userId)
                    parameter("Since", Instant.parse("2024-05-31T08:00:00Z"))
                    parameter("Day", LocalDate.parse("2024-05-31"))
                    parameter("Filters", EnumMember("Microsoft.Dynamics.CRM.EntityFilters", "Entity", "Attributes"))
                    parameter("Names", listOf("account", "contact"))
                    parameter("Owner", EntityReference("account", accountId))
                },
            )
            val request = mock.dataRequests.single()
            request.url.encodedPath shouldBe
                "/api/data/v9.2/accounts($accountId)/Microsoft.Dynamics.CRM.sample_Report(Id=@p1,Since=@p2,Day=@p3,Filters=@p4,Names=@p5,Owner=@p6)"
            request.url.parameters["@p1"] shouldBe userId.toString()
            request.url.parameters["@p2"] shouldBe "2024-05-31T08:00:00Z"
            request.url.parameters["@p3"] shouldBe "2024-05-31"
            request.url.parameters["@p4"] shouldBe "Microsoft.Dynamics.CRM.EntityFilters'Entity,Attributes'"
            request.url.parameters["@p5"] shouldBe """["account","contact"]"""
            request.url.parameters["@p6"] shouldBe "{'@odata.id':'accounts($accountId)'}"
        }
    }

    test("use-web-api-functions: an unbound function without parameters is its bare name; a bound one gets ()") {
        messageService().use { mock ->
            mock.client.messages.execute(MessageRequest.function("RetrieveVersion").build()).toMap()["Value"] shouldBe 42L
            mock.client.messages.execute(MessageRequest.function("sample_Stats") { boundToTable("account") })
            mock.dataRequests.map { it.url.encodedPath } shouldBe listOf(
                "/api/data/v9.2/RetrieveVersion", "/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.sample_Stats()",
            )
        }
    }

    // Learn: "Use Web API actions" (entity and entity reference parameters need @odata.type).
    test("use-web-api-actions: a bound action posts its parameters typed with @odata.type") {
        messageService().use { mock ->
            val result = mock.client.messages.execute(
                MessageRequest.action("sample_Score") {
                    boundTo("account", RecordKey.alternate("accountnumber", "A/1'"))
                    parameter("Weight", BigDecimal("2.50"))
                    parameter("Reviewer", EntityReference("account", accountId))
                    parameter("Draft", MessageEntity("account", mapOf("name" to "Draft", "parentaccountid" to EntityReference("account", accountId))))
                    parameter("Mode", EnumMember("Microsoft.Dynamics.CRM.ScoreMode", "Fast"))
                    parameter("Notes", listOf("a", "b"))
                    parameter("Flag", null)
                },
            )
            result.isEmpty shouldBe true
            val request = mock.dataRequests.single()
            request.method.value shouldBe "POST"
            request.url.encodedPath shouldBe "/api/data/v9.2/accounts(accountnumber='A%2F1''')/Microsoft.Dynamics.CRM.sample_Score"
            request.bodyJson().toString() shouldBe
                """{"Weight":2.50,"Reviewer":{"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"$accountId"},""" +
                """"Draft":{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Draft","parentaccountid@odata.bind":"/accounts($accountId)"},""" +
                """"Mode":"Fast","Notes":["a","b"],"Flag":null}"""
        }
    }

    // Learn: "Impersonate another user using the Web API", "Bypass custom Dataverse logic", "Detect duplicate data using
    // the Web API", "Compose HTTP requests and handle errors" (tag), "Create and update table definitions" (solution).
    test("request options: client defaults and a view's options become headers and the tag query option") {
        MockDataverse({
            token("t")
            defaultRequestOptions(RequestOptions(callerId = userId, tag = "import & load", solutionUniqueName = "Contoso_Core"))
        }) { request ->
            if (request.url.encodedPath.endsWith("/EntityDefinitions")) null else respond("", HttpStatusCode.NoContent, headersOf("OData-EntityId", "$API/accounts($accountId)"))
        }.use { mock ->
            mock.client.records.create("account", mapOf("accountid" to accountId.toString(), "name" to "A"))
            val view = mock.client.withOptions(
                RequestOptions(
                    callerObjectId = accountId, bypassBusinessLogic = setOf(BypassLogic.CUSTOM_ASYNC, BypassLogic.CUSTOM_SYNC),
                    bypassCustomPluginExecution = true, duplicateDetection = true,
                ),
            )
            view.records.update("account", accountId, mapOf("name" to "B"))
            val (create, update) = mock.dataRequests
            create.headers["MSCRMCallerID"] shouldBe userId.toString()
            create.headers["CallerObjectId"] shouldBe null
            create.headers["MSCRM.SolutionUniqueName"] shouldBe "Contoso_Core"
            create.url.parameters["tag"] shouldBe "import & load"
            create.url.encodedQuery shouldBe "tag=import%20%26%20load"
            create.headers["MSCRM.BypassBusinessLogicExecution"] shouldBe null
            // The view's impersonation replaces the default one as a whole; its other options add to the defaults.
            update.headers["CallerObjectId"] shouldBe accountId.toString()
            update.headers["MSCRMCallerID"] shouldBe null
            update.headers["MSCRM.BypassBusinessLogicExecution"] shouldBe "CustomSync,CustomAsync"
            update.headers["MSCRM.BypassCustomPluginExecution"] shouldBe "true"
            update.headers["MSCRM.SuppressDuplicateDetection"] shouldBe "false"
            update.headers["MSCRM.SolutionUniqueName"] shouldBe "Contoso_Core"
            update.url.parameters["tag"] shouldBe "import & load"
        }
    }

    test("request options: reads carry impersonation only; write options stay off GETs") {
        messageService().use { mock ->
            val view = mock.client.withOptions(RequestOptions(callerId = userId, bypassCustomPluginExecution = true, duplicateDetection = true))
            view.messages.execute(MessageRequest.function("WhoAmI").build()).toMap()["Value"] shouldBe 42L
            val get = mock.dataRequests.single()
            get.headers["MSCRMCallerID"] shouldBe userId.toString()
            get.headers["MSCRM.BypassCustomPluginExecution"] shouldBe null
            get.headers["MSCRM.SuppressDuplicateDetection"] shouldBe null
        }
    }

    // Learn: "Execute batch operations using the Web API": headers of an operation go on its own part.
    test("batch: options and messages go on their own parts, the outer request carries none") {
        MockDataverse({ token("t"); defaultRequestOptions(RequestOptions(callerId = userId)) }) { request ->
            if (!request.url.encodedPath.endsWith("/\$batch")) return@MockDataverse null
            respond("", HttpStatusCode.InternalServerError)
        }.use { mock ->
            mock.client.batch {
                execute(MessageRequest.function("RetrieveTotalRecordCount") { parameter("EntityNames", listOf("account")) })
                options(RequestOptions(bypassCustomPluginExecution = true, tag = "t1"))
                changeSet {
                    create("account", mapOf("name" to "A"))
                    execute(MessageRequest.action("sample_Do") { parameter("X", 1); options(RequestOptions(callerObjectId = accountId)) })
                }
            }
            val batch = mock.requests.first { it.url.encodedPath.endsWith("/\$batch") }
            batch.headers["MSCRMCallerID"] shouldBe null
            batch.headers["MSCRM.BypassCustomPluginExecution"] shouldBe null
            batch.url.parameters["tag"] shouldBe null
            val body = batch.body.toByteArray().decodeToString()
            val parts = body.split("Content-Type: application/http").drop(1)
            parts.size shouldBe 3
            parts[0] shouldContain "GET $API/RetrieveTotalRecordCount(EntityNames=@p1)?@p1=%5B%22account%22%5D HTTP/1.1"
            parts[0] shouldContain "MSCRMCallerID: $userId"
            parts[0] shouldNotContain "BypassCustomPluginExecution"
            parts[1] shouldContain "POST $API/accounts?tag=t1 HTTP/1.1"
            parts[1] shouldContain "MSCRMCallerID: $userId"
            parts[1] shouldContain "MSCRM.BypassCustomPluginExecution: true"
            parts[2] shouldContain "POST $API/sample_Do?tag=t1 HTTP/1.1"
            parts[2] shouldContain "CallerObjectId: $accountId"
            parts[2] shouldNotContain "MSCRMCallerID"
            parts[2] shouldContain """{"X":1}"""
            BatchCodec.boundaryOf(batch.body.contentType.toString()) shouldBe body.substring(2, body.indexOf('\r'))
        }
    }

    test("bad input is refused before anything is sent") {
        messageService().use { mock ->
            shouldThrow<InvalidInputException> { RequestOptions.builder().callerObjectId("not-a-guid") }.message shouldContain "GUID"
            shouldThrow<InvalidInputException> { RequestOptions(callerId = userId, callerObjectId = userId) }
            shouldThrow<InvalidInputException> { RequestOptions(callerId = UUID(0, 0)) }
            shouldThrow<InvalidInputException> { RequestOptions(solutionUniqueName = "Contoso Core") }
            shouldThrow<InvalidInputException> { RequestOptions(tag = "a\nb") }
            shouldThrow<InvalidInputException> { MessageRequest("Microsoft.Dynamics.CRM.WhoAmI", MessageKind.FUNCTION) }.message shouldContain "namespace"
            shouldThrow<InvalidInputException> { MessageRequest("who/../am", MessageKind.ACTION) }
            shouldThrow<InvalidInputException> { MessageRequest.action("sample_Do").parameter("Bad", Thread()).build() }.message shouldContain "'Bad'"
            shouldThrow<InvalidInputException> { MessageRequest.action("sample_Do").parameter("N", Double.NaN).build() }
            shouldThrow<InvalidInputException> { MessageRequest.function("sample_F").parameter("R", MessageEntity("account", emptyMap())).build() }
            shouldThrow<InvalidInputException> { MessageRequest.function("sample_F").parameter("M", mapOf("a" to 1)).build() }
            shouldThrow<InvalidInputException> { MessageRequest.action("sample_Do").parameter("bad name", 1).build() }
            shouldThrow<InvalidInputException> {
                dev.dataverse.batchRequest { changeSet { execute(MessageRequest.function("WhoAmI").build()) } }
            }.message shouldContain "change set"
            shouldThrow<InvalidInputException> { mock.client.messages.retrieveTotalRecordCount(listOf("acc ount")) }
            mock.requests.size shouldBe 0
        }
    }

    // Learn: "Create a table row using the Web API" / "Update and delete table rows using the Web API" (data returned).
    test("createAndGet and updateAndGet ask for return=representation with \$select and return the record") {
        MockDataverse { request ->
            if (request.url.encodedPath.endsWith("/EntityDefinitions")) return@MockDataverse null
            val id = (request.bodyJson()["accountid"]?.jsonPrimitive?.content) ?: accountId.toString()
            json("""{"@odata.etag":"W/\"7\"","accountid":"$id","name":"Contoso","createdon":"2024-05-31T08:00:00Z"}""", HttpStatusCode.Created)
        }.use { mock ->
            val created = mock.client.records.createAndGet("account", mapOf("name" to "Contoso"), RetrieveOptions(select = listOf("name", "createdon")))
            created.etag shouldBe "W/\"7\""
            created.getString("name") shouldBe "Contoso"
            val updated = mock.client.records.updateAndGet("account", RecordKey.id(accountId), mapOf("name" to "Contoso"), conditions = dev.dataverse.MatchConditions.ifMatch("W/\"6\""))
            updated.id shouldBe accountId
            val (post, patch) = mock.dataRequests
            post.headers["Prefer"] shouldBe "return=representation"
            post.url.parameters["\$select"] shouldBe "name,createdon"
            created.id shouldBe UUID.fromString(post.bodyJson()["accountid"]!!.jsonPrimitive.content)
            patch.headers["Prefer"] shouldBe "return=representation"
            patch.headers["If-Match"] shouldBe "W/\"6\""
            shouldThrow<InvalidInputException> { mock.client.records.createAndGet("account", mapOf("name" to "X"), RetrieveOptions(expand = listOf(Expand("primarycontactid")))) }
        }
    }
})
