package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

class MetadataSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    test("the SDK's table lookup: \$filter on LogicalName with \$select") {
        val select = "MetadataId,LogicalName,SchemaName,EntitySetName,PrimaryNameAttribute,PrimaryIdAttribute"
        val response = client.get("EntityDefinitions?\$select=$select&\$filter=LogicalName%20eq%20'account'")
        response.status shouldBe 200
        response.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#EntityDefinitions($select)"
        val entity = response.values.single()
        entity.keys shouldContainExactly select.split(',').toSet()
        entity.text("MetadataId") shouldBe "70816501-edb9-4740-a16c-6a5efbc05d84"
        entity.text("EntitySetName") shouldBe "accounts"
        entity.text("PrimaryIdAttribute") shouldBe "accountid"
        entity.text("PrimaryNameAttribute") shouldBe "name"
    }

    test("an unknown table gives an empty value; no filter lists every table") {
        client.get("EntityDefinitions?\$filter=LogicalName%20eq%20'nosuch'").values.shouldBeEmpty()
        client.get("EntityDefinitions?\$select=LogicalName").values.map { it.text("LogicalName") } shouldContainExactly listOf("account", "contact", "customapi", "customapirequestparameter", "customapiresponseproperty", "systemuser")
        client.get("EntityDefinitions?\$select=LogicalName&\$filter=IsPrivate%20eq%20false%20and%20startswith(LogicalName,'con')")
            .values.map { it.text("LogicalName") } shouldContainExactly listOf("contact")
    }

    test("a table by LogicalName key or by MetadataId, as a single entity") {
        val byName = client.get("EntityDefinitions(LogicalName='contact')?\$select=EntitySetName,PrimaryIdAttribute,LogicalCollectionName,SchemaName,DisplayName")
        byName.status shouldBe 200
        val body = byName.json
        body.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#EntityDefinitions(EntitySetName,PrimaryIdAttribute,LogicalCollectionName,SchemaName,DisplayName)/\$entity"
        body.text("SchemaName") shouldBe "Contact"
        body.text("LogicalCollectionName") shouldBe "contacts"
        body.getValue("DisplayName").jsonObject.getValue("UserLocalizedLabel").jsonObject.text("Label") shouldBe "Contact"
        val id = body.text("MetadataId")!!
        client.get("EntityDefinitions($id)?\$select=LogicalName").json.text("LogicalName") shouldBe "contact"
        val full = client.get("EntityDefinitions(LogicalName='account')").json
        full.text("OwnershipType") shouldBe "UserOwned"
        full.text("IsCustomEntity") shouldBe "false"
    }

    test("a missing table is a 404; an unknown \$select property is a 400") {
        client.get("EntityDefinitions(LogicalName='nosuch')").status shouldBe 404
        val response = client.get("EntityDefinitions?\$select=Bogus")
        response.status shouldBe 400
        response.errorMessage shouldBe "Could not find a property named 'Bogus' on type 'Microsoft.Dynamics.CRM.EntityMetadata'."
    }

    test("attributes carry their derived type, max length, targets and create/update flags") {
        val attributes = client.get("EntityDefinitions(LogicalName='account')/Attributes").values.associateBy { it.text("LogicalName") }
        val name = attributes.getValue("name")
        name.text("@odata.type") shouldBe "#Microsoft.Dynamics.CRM.StringAttributeMetadata"
        name.text("AttributeType") shouldBe "String"
        name.text("MaxLength") shouldBe "160"
        val lookup = attributes.getValue("primarycontactid")
        lookup.text("AttributeType") shouldBe "Lookup"
        lookup.array("Targets").map { it.jsonPrimitive.content } shouldContainExactly listOf("contact")
        attributes.getValue("createdon").text("IsValidForCreate") shouldBe "false"
        attributes.getValue("revenue").text("AttributeType") shouldBe "Money"
        attributes.getValue("industrycode").text("AttributeType") shouldBe "Picklist"
        attributes.getValue("statecode").text("@odata.type") shouldBe "#Microsoft.Dynamics.CRM.StateAttributeMetadata"
        attributes.getValue("accountid").text("AttributeType") shouldBe "Uniqueidentifier"
        val customer = client.get("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='parentcustomerid')").json
        customer.text("AttributeType") shouldBe "Customer"
        customer.array("Targets").map { it.jsonPrimitive.content } shouldContainExactly listOf("account", "contact")
    }

    test("attributes can be filtered and selected, one attribute read by key") {
        val metadataId = client.get("EntityDefinitions(LogicalName='account')?\$select=MetadataId").json.text("MetadataId")
        val filtered = client.get("EntityDefinitions($metadataId)/Attributes?\$select=LogicalName,AttributeType&\$filter=LogicalName%20eq%20'accountnumber'")
        filtered.values.single().text("AttributeType") shouldBe "String"
        val single = client.get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='accountnumber')?\$select=LogicalName")
        single.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#EntityDefinitions($metadataId)/Attributes(LogicalName)/\$entity"
        client.get("EntityDefinitions(LogicalName='account')/Attributes?\$select=MaxLength").status shouldBe 400
    }

    test("alternate keys: none on the standard tables, as on a fresh org, until one is created") {
        // Learn, "Retrieve a table row using the Web API": "By default, there are no alternate keys configured for entities."
        client.get("EntityDefinitions(LogicalName='account')/Keys").values.shouldBeEmpty()
        client.get("EntityDefinitions(LogicalName='contact')/Keys").values.shouldBeEmpty()
        client.get("EntityDefinitions(LogicalName='account')?\$select=LogicalName&\$expand=Keys").json.array("Keys").jsonArray.size shouldBe 0
        client.patch("accounts(accountnumber='NO-KEY')", """{"name":"x"}""").status shouldBe 400
        client.createAccountNumberKey()
        val key = client.get("EntityDefinitions(LogicalName='account')/Keys").values.single()
        key.text("SchemaName") shouldBe "new_AccountNumberKey"
        key.array("KeyAttributes").map { it.jsonPrimitive.content } shouldContainExactly listOf("accountnumber")
        key.text("EntityKeyIndexStatus") shouldBe "Active"
    }

    test("the SDK's picklist query returns choice columns with their options and labels") {
        val response = client.get(
            "EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?\$select=LogicalName&\$expand=OptionSet(\$select=Options)",
        )
        response.status shouldBe 200
        val attributes = response.values
        attributes.map { it.text("LogicalName") } shouldContainExactly listOf("industrycode")
        val industry = attributes.single()
        industry.keys shouldNotContain "@odata.type"
        val optionSet = industry.getValue("OptionSet").jsonObject
        optionSet.keys shouldContainExactly setOf("MetadataId", "Options")
        val first = optionSet.array("Options").first().jsonObject
        first.text("Value") shouldBe "1"
        val label = first.getValue("Label").jsonObject
        label.getValue("UserLocalizedLabel").jsonObject.text("Label") shouldBe "Accounting"
        label.array("LocalizedLabels").first().jsonObject.text("LanguageCode") shouldBe "1033"
        client.get("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?\$select=LogicalName")
            .values.shouldBeEmpty()
    }

    test("state and status option sets come through their own casts") {
        val states = client.get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata?\$expand=OptionSet").values.single()
        val options = states.getValue("OptionSet").jsonObject.array("Options").map { it.jsonObject }
        options.map { it.text("Value") } shouldContainExactly listOf("0", "1")
        options.first().text("DefaultStatus") shouldBe "1"
        val status = client.get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?\$expand=OptionSet").json
        status.getValue("OptionSet").jsonObject.array("Options").map { it.jsonObject.text("State") } shouldContain "1"
    }

    test("unknown metadata segments are 404s; methods a resource lacks are 405s; navigations appear only when expanded") {
        client.post("EntityDefinitions", "{}").status shouldBe 400
        client.send(io.ktor.http.HttpMethod.Patch, "EntityDefinitions(LogicalName='account')", "{}").status shouldBe 405
        client.get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.Nonsense").status shouldBe 404
        client.get("EntityDefinitions(LogicalName='account')/Nothing").status shouldBe 404
        client.get("EntityDefinitions(LogicalName='account')").json.keys.contains("Attributes") shouldBe false
        client.get("EntityDefinitions(LogicalName='account')?\$select=LogicalName&\$expand=Keys").json.keys.contains("Keys") shouldBe true
    }
})
