package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * Messages as any client sees them on the wire: standard functions, custom APIs from the embedding and the admin API,
 * and the service's answers to wrong calls. Learn: "Use Web API functions", "Use Web API actions", "Create and use
 * custom APIs", "Troubleshoot Dataverse Web API client errors".
 */
class MessagesSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    val anonymous = TestClient(emulator, token = null)
    afterSpec {
        client.close()
        anonymous.close()
        emulator.close()
    }
    val admin = "${emulator.baseUrl}/_emulator"

    emulator.registerCustomApi(
        CustomApi(
            "sample_Echo", isFunction = true,
            requestParameters = listOf(
                CustomApiParameter("Text", CustomApiType.STRING), CustomApiParameter("Count", CustomApiType.INTEGER, isOptional = true),
                CustomApiParameter("Target", CustomApiType.ENTITY_REFERENCE, isOptional = true),
            ),
            responseProperties = listOf(CustomApiProperty("Echo", CustomApiType.STRING), CustomApiProperty("Who", CustomApiType.ENTITY_REFERENCE)),
        ) { call ->
            mapOf("Echo" to (call.parameters["Text"] as String).repeat((call.parameters["Count"] as Int?) ?: 1), "Who" to call.parameters["Target"])
        },
    )

    test("RetrieveTotalRecordCount counts the records of each table, with the documented shape") {
        emulator.reset()
        client.post("accounts", """{"name":"A"}""").status shouldBe 204
        client.post("accounts", """{"name":"B"}""").status shouldBe 204
        val response = client.get("RetrieveTotalRecordCount(EntityNames=@p1)?@p1=%5B%22account%22,%22contact%22%5D")
        response.status shouldBe 200
        val collection = response.json.getValue("EntityRecordCountCollection").jsonObject
        collection.getValue("Keys").jsonArray.map { it.jsonPrimitive.content } shouldContainExactly listOf("account", "contact")
        collection.getValue("Values").jsonArray.map { it.jsonPrimitive.content } shouldContainExactly listOf("2", "0")
        response.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse"
    }

    test("a custom function reads aliases and inline literals, quotes doubled, and record references") {
        val account = client.post("accounts", """{"name":"Ref"}""").headers["OData-EntityId"]!!.substringAfter("(").removeSuffix(")")
        val aliased = client.get("sample_Echo(Text=@t,Count=@c,Target=@r)?@t='it''s%20%26'&@c=2&@r={'@odata.id':'accounts($account)'}")
        aliased.status shouldBe 200
        aliased.json.text("Echo") shouldBe "it's &it's &"
        aliased.json.getValue("Who").jsonObject.text("accountid") shouldBe account
        client.get("sample_Echo(Text='x')").json.text("Echo") shouldBe "x"
    }

    test("wrong calls are refused as the service refuses them") {
        val unknown = client.get("sample_Nope(Text=@t)?@t='x'")
        unknown.status shouldBe 404
        unknown.errorCode shouldBe "0x8006088a"
        unknown.errorMessage shouldBe "Resource not found for the segment 'sample_Nope'."
        val post = client.post("sample_Echo", """{"Text":"x"}""")
        post.status shouldBe 404
        post.errorCode shouldBe ""
        client.get("sample_Echo(Text=@t)?@t=5").errorMessage shouldContain "Edm.String"
        client.get("sample_Echo(Count=1)").errorMessage shouldContain "'Text'"
        client.get("sample_Echo(Text='x',Other=1)").errorMessage shouldContain "'Other'"
        client.get("accounts/Microsoft.Dynamics.CRM.sample_Echo()").status shouldBe 404
    }

    test("a custom API registered through the admin API answers its canned response; bound calls check the record") {
        val body = """{"uniqueName":"sample_Canned","bindingType":"Entity","boundEntityLogicalName":"account",
            "requestParameters":[{"uniqueName":"Level","type":"Integer"}],"response":{"Status":"Queued","Position":3}}"""
        anonymous.post("$admin/custom-apis", body).status shouldBe 201
        anonymous.get("$admin/custom-apis").json.getValue("customApis").jsonArray.map { it.jsonPrimitive.content } shouldContainExactly
            listOf("sample_Canned", "sample_Echo")
        val account = client.post("accounts", """{"name":"Bound"}""").headers["OData-EntityId"]!!.substringAfter("(").removeSuffix(")")
        val answer = client.post("accounts($account)/Microsoft.Dynamics.CRM.sample_Canned", """{"Level":1}""")
        answer.status shouldBe 200
        answer.json.text("Status") shouldBe "Queued"
        client.post("accounts(00000000-0000-0000-0000-00000000dead)/Microsoft.Dynamics.CRM.sample_Canned", """{"Level":1}""").status shouldBe 404
        client.post("accounts($account)/Microsoft.Dynamics.CRM.sample_Canned", """{"Level":"high"}""").status shouldBe 400
        anonymous.send(HttpMethod.Delete, "$admin/custom-apis/sample_Canned").status shouldBe 204
        client.post("accounts($account)/Microsoft.Dynamics.CRM.sample_Canned", """{"Level":1}""").status shouldBe 404
    }

    test("impersonation: the impersonated user writes, the caller is recorded on behalf; unknown users are refused") {
        val me = client.get("WhoAmI").json.text("UserId")
        val alice = "5a5a5a5a-0000-0000-0000-00000000a11c"
        val objectId = "e39c5d16-675b-48d1-8e67-667427e9c084"
        client.post("systemusers", """{"systemuserid":"$alice","fullname":"Alice","azureactivedirectoryobjectid":"$objectId"}""").status shouldBe 204
        val created = client.post("accounts", """{"name":"On behalf"}""", mapOf("CallerObjectId" to objectId, "Prefer" to "return=representation"))
        created.status shouldBe 201
        created.json.text("_createdby_value") shouldBe alice
        created.json.text("_modifiedby_value") shouldBe alice
        created.json.text("_createdonbehalfby_value") shouldBe me
        client.get("WhoAmI", mapOf("MSCRMCallerID" to alice)).json.text("UserId") shouldBe alice
        val unknown = client.get("WhoAmI", mapOf("MSCRMCallerID" to "00000000-0000-0000-0000-00000000beef"))
        unknown.status shouldBe 404
        unknown.errorCode shouldBe "0x80040217"
        client.get("WhoAmI", mapOf("CallerObjectId" to "not-a-guid")).status shouldBe 400
    }

    test("request options are counted; duplicate detection applies only when asked for; solutions list their schema") {
        emulator.reset()
        emulator.addDuplicateDetectionRule("account", "name")
        client.post("accounts?tag=load-1", """{"name":"Dup"}""", mapOf("MSCRM.BypassBusinessLogicExecution" to "CustomSync,CustomAsync")).status shouldBe 204
        client.post("accounts", """{"name":"dup "}""").status shouldBe 204
        val detected = client.post("accounts", """{"name":"DUP"}""", mapOf("MSCRM.SuppressDuplicateDetection" to "false"))
        detected.status shouldBe 500
        detected.errorCode shouldBe "0x80040333"
        client.post("accounts", """{"name":"x"}""", mapOf("MSCRM.BypassBusinessLogicExecution" to "Everything")).status shouldBe 400
        emulator.stats.requestsWith(RequestOption.BYPASS_BUSINESS_LOGIC) shouldBe 1
        emulator.stats.requestsWith(RequestOption.DUPLICATE_DETECTION) shouldBe 1
        emulator.stats.lastTag shouldBe "load-1"
        val table = """{"@odata.type":"Microsoft.Dynamics.CRM.EntityMetadata","SchemaName":"new_Widget","OwnershipType":"UserOwned",
            "DisplayName":{"LocalizedLabels":[{"Label":"Widget","LanguageCode":1033}]},"DisplayCollectionName":{"LocalizedLabels":[{"Label":"Widgets","LanguageCode":1033}]},
            "HasActivities":false,"HasNotes":false,"IsActivity":false,
            "Attributes":[{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Name","IsPrimaryName":true,"MaxLength":100,
              "DisplayName":{"LocalizedLabels":[{"Label":"Name","LanguageCode":1033}]},"RequiredLevel":{"Value":"None"}}]}"""
        emulator.addSolution("Contoso_Core")
        client.post("EntityDefinitions", table, mapOf("MSCRM.SolutionUniqueName" to "Contoso_Core")).status shouldBe 204
        emulator.solutionComponents("contoso_core") shouldContainExactly listOf("table:new_widget")
        anonymous.get("$admin/solutions").json.getValue("Contoso_Core").jsonArray.map { it.jsonPrimitive.content } shouldContainExactly listOf("table:new_widget")
    }
})
