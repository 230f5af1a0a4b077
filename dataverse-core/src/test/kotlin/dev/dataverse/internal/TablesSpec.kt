package dev.dataverse.internal

import dev.dataverse.AlternateKeySpec
import dev.dataverse.ChoiceLabel
import dev.dataverse.ColumnSpec
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.KeyIndexStatus
import dev.dataverse.RequestTimeoutException
import dev.dataverse.TableSpec
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.OutgoingContent
import io.ktor.http.content.TextContent
import java.net.URLDecoder
import java.util.UUID
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TestTimeSource
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope

/** Tables and choice labels against a scripted service: headers, caching, expiry and polling. */
class TablesSpec : FunSpec({
    val tableId = "11111111-1111-1111-1111-111111111111"
    val newTable = """{"MetadataId":"$tableId","LogicalName":"new_thing","SchemaName":"new_Thing","EntitySetName":"new_things",
        "PrimaryIdAttribute":"new_thingid","PrimaryNameAttribute":"new_name","IsCustomEntity":true,"OwnershipType":"UserOwned"}"""
    val picklists = """{"value":[{"LogicalName":"industrycode","MetadataId":"22222222-2222-2222-2222-222222222222","OptionSet":{"Options":[
        {"Value":1,"Label":{"LocalizedLabels":[{"Label":"Accounting","LanguageCode":1033}],"UserLocalizedLabel":{"Label":"Accounting","LanguageCode":1033}}},
        {"Value":7,"Label":{"UserLocalizedLabel":{"Label":"Consulting","LanguageCode":1033}}}]}}]}"""
    val codeColumn = """{"@odata.type":"#Microsoft.Dynamics.CRM.IntegerAttributeMetadata","MetadataId":"33333333-3333-3333-3333-333333333333",
        "LogicalName":"new_code","SchemaName":"new_Code","AttributeType":"Integer","IsCustomAttribute":true}"""

    fun path(request: HttpRequestData) = URLDecoder.decode(request.url.encodedPath, Charsets.UTF_8).substringAfter("/api/data/v9.2/")
    fun body(request: HttpRequestData) = (request.body as? TextContent)?.text ?: (request.body as? OutgoingContent.ByteArrayContent)?.bytes()?.decodeToString()
    fun strong(request: HttpRequestData) = request.headers["Consistency"] == "Strong"

    test("the re-read after creating a table carries Consistency: Strong; reads before any change do not") {
        MockDataverse { request ->
            when {
                request.method == HttpMethod.Post && path(request) == "EntityDefinitions" -> json("", HttpStatusCode.NoContent)
                path(request).startsWith("EntityDefinitions(LogicalName='new_thing')") -> json(newTable)
                path(request).startsWith("EntityDefinitions(LogicalName='account')") -> json(MockDataverse.ACCOUNT_DEFINITION.replace("{\"value\":[", "").removeSuffix("]}"))
                else -> null
            }
        }.use { mock ->
            mock.client.tables.get("account").entitySetName shouldBe "accounts"
            val info = mock.client.tables.create(TableSpec("new_Thing", "Thing"))
            info.entitySetName shouldBe "new_things"
            val (before, post, after) = mock.requests
            strong(before) shouldBe false
            body(post)!! shouldContain "\"IsPrimaryName\":true"
            strong(after) shouldBe true
        }
    }

    test("adding a column drops the cached table and the lookup that follows reads strongly") {
        MockDataverse { request ->
            when {
                request.method == HttpMethod.Post && path(request).endsWith("/Attributes") -> json("", HttpStatusCode.NoContent)
                path(request).startsWith("EntityDefinitions(LogicalName='account')/Attributes(") -> json(codeColumn)
                path(request) == "accounts" -> json("", HttpStatusCode.NoContent)
                else -> null
            }
        }.use { mock ->
            mock.client.records.create("account", mapOf("name" to "a"))
            mock.client.records.create("account", mapOf("name" to "b"))
            val lookups = { mock.requests.filter { path(it) == "EntityDefinitions" } }
            lookups().size shouldBe 1
            mock.client.tables.addColumn("account", ColumnSpec.integer("new_Code", "Code")).logicalName shouldBe "new_code"
            mock.client.records.create("account", mapOf("name" to "c"))
            lookups().size shouldBe 2
            strong(lookups()[0]) shouldBe false
            strong(lookups()[1]) shouldBe true
        }
    }

    test("cached table metadata and choices expire after metadataCacheTtl") {
        val time = TestTimeSource()
        MockDataverse({ token("t"); metadataCacheTtl(10.minutes) }, time) { request ->
            when {
                path(request).endsWith("PicklistAttributeMetadata") -> json(picklists)
                path(request) == "accounts" -> json("", HttpStatusCode.NoContent)
                else -> null
            }
        }.use { mock ->
            suspend fun create() = mock.client.records.create("account", mapOf("industrycode" to ChoiceLabel("Consulting")))
            val count = { suffix: String -> mock.requests.count { path(it).endsWith(suffix) } }
            create()
            create()
            count("EntityDefinitions") shouldBe 1
            count("PicklistAttributeMetadata") shouldBe 1
            time += 11.minutes
            create()
            count("EntityDefinitions") shouldBe 2
            count("PicklistAttributeMetadata") shouldBe 2
        }
    }

    test("a ChoiceLabel becomes its option value; payloads without labels cost no metadata request") {
        MockDataverse { request ->
            when {
                path(request).endsWith("PicklistAttributeMetadata") -> json(picklists)
                path(request) == "accounts" -> json("", HttpStatusCode.NoContent)
                else -> null
            }
        }.use { mock ->
            mock.client.records.create("account", mapOf("name" to "plain", "industrycode" to 1))
            mock.requests.map { path(it) } shouldContainExactly listOf("EntityDefinitions", "accounts")
            mock.client.records.create("account", mapOf("name" to "labelled", "industrycode" to ChoiceLabel("consulting")))
            val posts = mock.requests.filter { it.method == HttpMethod.Post }
            body(posts.last())!! shouldContain "\"industrycode\":7"
            val cast = mock.requests.single { path(it).endsWith("PicklistAttributeMetadata") }
            URLDecoder.decode(cast.url.encodedQuery, Charsets.UTF_8) shouldBe "\$select=LogicalName&\$expand=OptionSet(\$select=Options)"
            val error = shouldThrow<InvalidInputException> {
                mock.client.records.create("account", mapOf("industrycode" to ChoiceLabel("Mining")))
            }
            error.message shouldBe "Column 'industrycode' of table 'account' has no option labelled 'Mining'; its options are 'Accounting', 'Consulting'."
            mock.requests.count { it.method == HttpMethod.Post } shouldBe 2
        }
    }

    test("choice options read while this client changes the table are not cached past the change") {
        val colorColumn = """{"@odata.type":"#Microsoft.Dynamics.CRM.PicklistAttributeMetadata","MetadataId":"66666666-6666-6666-6666-666666666666",
            "LogicalName":"new_color","SchemaName":"new_Color","AttributeType":"Picklist","IsCustomAttribute":true}"""
        val withColor = picklists.removeSuffix("]}") + """,{"LogicalName":"new_color","OptionSet":{"Options":[
            {"Value":100000000,"Label":{"UserLocalizedLabel":{"Label":"Red","LanguageCode":1033}}}]}}]}"""
        val firstReadArrived = CompletableDeferred<Unit>()
        val releaseFirstRead = CompletableDeferred<Unit>()
        var reads = 0
        MockDataverse { request ->
            when {
                path(request).endsWith("/Microsoft.Dynamics.CRM.PicklistAttributeMetadata") -> if (++reads == 1) {
                    firstReadArrived.complete(Unit)
                    releaseFirstRead.await()
                    json(picklists)
                } else {
                    json(withColor)
                }
                path(request).endsWith("AttributeMetadata") -> json("""{"value":[]}""")
                request.method == HttpMethod.Post && path(request).endsWith("/Attributes") -> json("", HttpStatusCode.NoContent)
                path(request).startsWith("EntityDefinitions(LogicalName='account')/Attributes(") -> json(colorColumn)
                path(request) == "accounts" -> json("", HttpStatusCode.NoContent)
                else -> null
            }
        }.use { mock ->
            coroutineScope {
                val before = async { mock.client.records.create("account", mapOf("industrycode" to ChoiceLabel("Consulting"))) }
                firstReadArrived.await()
                mock.client.tables.addColumn("account", ColumnSpec.choice("new_Color", "Color", "Red"))
                releaseFirstRead.complete(Unit)
                before.await()
            }
            // The answer read before the change must not hide the new column.
            mock.client.records.create("account", mapOf("new_color" to ChoiceLabel("Red")))
            body(mock.requests.last { path(it) == "accounts" })!! shouldContain "\"new_color\":100000000"
            reads shouldBe 2
        }
    }

    test("deleting a key whose first DELETE failed in flight and whose retry finds nothing succeeds") {
        var deletes = 0
        val key = """{"value":[{"SchemaName":"new_CodeKey","LogicalName":"new_codekey","KeyAttributes":["new_code"],
            "EntityKeyIndexStatus":"Active","MetadataId":"44444444-4444-4444-4444-444444444444"}]}"""
        MockDataverse({ token("t"); retry(dev.dataverse.RetryOptions(maxAttempts = 3)) }) { request ->
            when {
                request.method == HttpMethod.Delete -> if (++deletes == 1) {
                    throw java.io.IOException("connection reset after the request was sent")
                } else {
                    json("""{"error":{"code":"0x80040217","message":"The key does not exist."}}""", HttpStatusCode.NotFound)
                }
                path(request).endsWith("/Keys") -> json(key)
                else -> null
            }
        }.use { mock ->
            mock.client.tables.deleteKey("account", "new_CodeKey")
            deletes shouldBe 2
        }
    }

    test("creating a table, column, relationship or key is not replayed after a failure in flight, so it cannot meet itself as a duplicate") {
        MockDataverse({ token("t"); retry(dev.dataverse.RetryOptions(maxAttempts = 3)) }) { request ->
            if (request.method == HttpMethod.Post) throw java.io.IOException("connection reset after the request was sent") else null
        }.use { mock ->
            shouldThrow<dev.dataverse.ConnectionFailedException> { mock.client.tables.create(TableSpec("new_Thing", "Thing")) }.attempts shouldBe 1
            shouldThrow<dev.dataverse.ConnectionFailedException> { mock.client.tables.addColumn("account", ColumnSpec.integer("new_Code", "Code")) }
            shouldThrow<dev.dataverse.ConnectionFailedException> { mock.client.tables.createKey("account", AlternateKeySpec("new_CodeKey", listOf("accountnumber"))) }
            shouldThrow<dev.dataverse.ConnectionFailedException> {
                mock.client.tables.createRelationship(dev.dataverse.ManyToManySpec("new_account_contact", "account", "contact"))
            }
            mock.requests.count { it.method == HttpMethod.Post } shouldBe 4
        }
    }

    test("a ChoiceLabel inside a nested map or list is refused by name before anything is sent") {
        MockDataverse { null }.use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.records.create("account", mapOf("data" to mapOf("industrycode" to ChoiceLabel("Consulting"))))
            }.message shouldContain "ChoiceLabel must be a column's direct value"
            shouldThrow<InvalidInputException> {
                mock.client.records.create("account", mapOf("codes" to listOf(ChoiceLabel("Consulting"))))
            }.message shouldContain "ChoiceLabel must be a column's direct value"
            mock.requests.none { it.method == HttpMethod.Post } shouldBe true
        }
    }

    test("awaitKey polls with backoff through the delay seam and times out with RequestTimeoutException") {
        val statuses = ArrayDeque(listOf("Pending", "InProgress", "Active"))
        val waits = mutableListOf<Duration>()
        fun key(status: String) = """{"value":[{"SchemaName":"new_CodeKey","LogicalName":"new_codekey","KeyAttributes":["new_code"],
            "EntityKeyIndexStatus":"$status","MetadataId":"44444444-4444-4444-4444-444444444444","Extra":{"ignored":true}}]}"""
        MockDataverse({ token("t"); delay = { waits += it } }) { request ->
            if (path(request).endsWith("/Keys")) json(key(statuses.removeFirstOrNull() ?: "Pending")) else null
        }.use { mock ->
            mock.client.tables.awaitKey("account", "new_codekey").status shouldBe KeyIndexStatus.ACTIVE
            waits shouldContainExactly listOf(500.milliseconds, 1.seconds)
            waits.clear()
            shouldThrow<RequestTimeoutException> { mock.client.tables.awaitKey("account", "new_CodeKey", 3.seconds) }
            waits shouldContainExactly listOf(500.milliseconds, 1.seconds, 1.5.seconds)
        }
    }

    test("the service's duplicate-name answer is a DuplicateRecordException; invalid names never leave the client") {
        MockDataverse { request ->
            if (request.method == HttpMethod.Post) {
                json("""{"error":{"code":"0x80044363","message":"An entity key with the specified name 'new_CodeKey' already exists."}}""", HttpStatusCode.BadRequest)
            } else {
                null
            }
        }.use { mock ->
            shouldThrow<DuplicateRecordException> { mock.client.tables.createKey("account", AlternateKeySpec("new_CodeKey", listOf("accountnumber"))) }
            shouldThrow<InvalidInputException> { mock.client.tables.createKey("account", AlternateKeySpec("CodeKey", listOf("accountnumber"))) }
            mock.requests.count { it.method == HttpMethod.Post } shouldBe 1
        }
    }

    test("associate PUTs a lookup found among the many-to-one relationships and POSTs a collection; disassociate deletes") {
        val relationships = """{"value":[{"SchemaName":"account_primary_contact","ReferencingEntityNavigationPropertyName":"primarycontactid"}]}"""
        val contactDefinition = """{"value":[{"MetadataId":"55555555-5555-5555-5555-555555555555","LogicalName":"contact","EntitySetName":"contacts","PrimaryIdAttribute":"contactid"}]}"""
        MockDataverse { request ->
            when {
                path(request).endsWith("/ManyToOneRelationships") -> json(relationships)
                path(request) == "EntityDefinitions" && request.url.encodedQuery.contains("contact") -> json(contactDefinition)
                path(request).endsWith("\$ref") -> json("", HttpStatusCode.NoContent)
                else -> null
            }
        }.use { mock ->
            val account = UUID.randomUUID()
            val contact = EntityReference("contact", UUID.randomUUID())
            mock.client.records.associate("account", account, "primarycontactid", contact)
            mock.client.records.associate("account", account, "contact_customer_accounts", contact)
            mock.client.records.disassociate("account", account, "contact_customer_accounts", contact)
            mock.client.records.disassociate("account", account, "primarycontactid")
            val refs = mock.requests.filter { path(it).endsWith("\$ref") }
            refs.map { it.method to path(it) } shouldContainExactly listOf(
                HttpMethod.Put to "accounts($account)/primarycontactid/\$ref",
                HttpMethod.Post to "accounts($account)/contact_customer_accounts/\$ref",
                HttpMethod.Delete to "accounts($account)/contact_customer_accounts(${contact.id})/\$ref",
                HttpMethod.Delete to "accounts($account)/primarycontactid/\$ref",
            )
            body(refs[0]) shouldBe """{"@odata.id":"${MockDataverse.API}/contacts(${contact.id})"}"""
            mock.requests.count { path(it).endsWith("/ManyToOneRelationships") } shouldBe 1
            shouldThrow<InvalidInputException> { mock.client.records.disassociate("account", account, "contact_customer_accounts") }
            shouldThrow<InvalidInputException> { mock.client.records.associate("account", account, "bad name", contact) }
        }
    }
})
