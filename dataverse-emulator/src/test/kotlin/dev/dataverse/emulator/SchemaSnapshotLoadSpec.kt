package dev.dataverse.emulator

import dev.dataverse.emulator.internal.MainCommand
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.nio.file.Files

/**
 * The emulator seeded from a schema snapshot file written by hand in the documented format (README "Schema
 * snapshots"), read by the emulator's own reader. Custom API rows are read with the query Learn's "CustomAPI tables"
 * page gives (`customapis?$select=...&$expand=CustomAPIRequestParameters(...),CustomAPIResponseProperties(...)`).
 */
class SchemaSnapshotLoadSpec : FunSpec({
    val file = Files.createTempFile("snapshot", ".json")
    Files.writeString(
        file,
        """
        {
          "formatVersion": 1,
          "futureProperty": {"ignored": true},
          "tables": [
            {
              "logicalName": "new_widget", "schemaName": "new_Widget", "entitySetName": "new_widgets",
              "primaryIdColumn": "new_widgetid", "primaryNameColumn": "new_name", "displayName": "Widget",
              "tableType": "Standard", "ownership": "UserOwned", "isCustom": true, "changeTrackingEnabled": false,
              "columns": [
                {"logicalName": "new_widgetid", "schemaName": "new_WidgetId", "attributeType": "Uniqueidentifier", "isPrimaryId": true,
                 "isPrimaryName": false, "isCustom": true, "validForCreate": true, "validForUpdate": false, "validForRead": true},
                {"logicalName": "new_name", "schemaName": "new_Name", "attributeType": "String", "isPrimaryId": false, "isPrimaryName": true,
                 "isCustom": true, "validForCreate": true, "validForUpdate": true, "validForRead": true, "maxLength": 100, "format": "Text"},
                {"logicalName": "new_size", "schemaName": "new_Size", "attributeType": "Picklist", "isPrimaryId": false, "isPrimaryName": false,
                 "isCustom": true, "validForCreate": true, "validForUpdate": true, "validForRead": true,
                 "choice": {"globalName": "new_sizes", "options": [{"value": 1, "label": "Small"}, {"value": 2, "label": "Small"}]}},
                {"logicalName": "new_ownerkind", "schemaName": "new_OwnerKind", "attributeType": "EntityName", "isPrimaryId": false, "isPrimaryName": false,
                 "isCustom": true, "validForCreate": false, "validForUpdate": false, "validForRead": true},
                {"logicalName": "new_customerid", "schemaName": "new_CustomerId", "attributeType": "Customer", "isPrimaryId": false, "isPrimaryName": false,
                 "isCustom": true, "validForCreate": true, "validForUpdate": true, "validForRead": true,
                 "targets": [{"table": "account", "navigationProperty": "new_customerid_account"}, {"table": "contact", "navigationProperty": "new_customerid_contact"},
                             {"table": "new_missing", "navigationProperty": "new_customerid_missing"}]}
              ],
              "alternateKeys": [{"logicalName": "new_namekey", "columns": ["new_name"]}],
              "relationships": [
                {"schemaName": "new_widget_customer_account", "kind": "ManyToOne", "referencedTable": "account", "referencedColumn": "accountid",
                 "referencingTable": "new_widget", "referencingColumn": "new_customerid", "navigationProperty": "new_customerid_account"}
              ]
            }
          ],
          "customApis": [
            {"uniqueName": "new_Echo", "bindingType": "Global", "isFunction": false,
             "requestParameters": [{"uniqueName": "Target", "type": "EntityReference", "isOptional": true, "table": "account"}],
             "responseProperties": [{"uniqueName": "Text", "type": "String"}]}
          ]
        }
        """.trimIndent(),
    )
    val emulator = DataverseEmulator.start(EmulatorOptions.builder().schema(file).build())
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    test("the snapshot's table answers metadata reads with its columns, choices, lookups and keys") {
        val attributes = client.get("EntityDefinitions(LogicalName='new_widget')/Attributes?\$select=LogicalName,AttributeType").values
        attributes.map { it.text("LogicalName") } shouldContain "new_customerid"
        // A type the emulator does not store is skipped rather than faked.
        attributes.none { it.text("LogicalName") == "new_ownerkind" } shouldBe true
        val customer = client.get("EntityDefinitions(LogicalName='new_widget')/Attributes(LogicalName='new_customerid')").json
        customer.text("AttributeType") shouldBe "Customer"
        customer.getValue("Targets").jsonArray.map { it.jsonPrimitive.content } shouldContainExactly listOf("account", "contact")
        val sizes = client.get(
            "EntityDefinitions(LogicalName='new_widget')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?\$select=LogicalName&\$expand=OptionSet",
        ).values.single().getValue("OptionSet").jsonObject
        sizes.text("Name") shouldBe "new_sizes"
        sizes.getValue("Options").jsonArray.map { (it as JsonObject).getValue("Value").jsonPrimitive.content } shouldContainExactly listOf("1", "2")
        client.get("EntityDefinitions(LogicalName='new_widget')/Keys").values.single().text("LogicalName") shouldBe "new_namekey"
        val manyToOne = client.get("EntityDefinitions(LogicalName='new_widget')/ManyToOneRelationships").values
        manyToOne.first { it.text("ReferencedEntity") == "account" }.text("SchemaName") shouldBe "new_widget_customer_account"
    }

    test("records bind the loaded lookup through the snapshot's navigation property") {
        val account = client.create("accounts", """{"name":"A"}""")
        val widget = client.create("new_widgets", """{"new_name":"W","new_size":2,"new_customerid_account@odata.bind":"/accounts($account)"}""")
        client.get("new_widgets($widget)?\$select=_new_customerid_value").json.text("_new_customerid_value") shouldBe account
    }

    test("the custom API's definition is read with Learn's customapis query") {
        val query = "customapis?\$select=uniquename,bindingtype,boundentitylogicalname,isfunction&\$filter=uniquename%20eq%20'new_Echo'" +
            "&\$expand=CustomAPIRequestParameters(\$select=uniquename,type,logicalentityname,isoptional),CustomAPIResponseProperties(\$select=uniquename,type,logicalentityname)"
        val api = client.get(query).values.single()
        api.text("uniquename") shouldBe "new_Echo"
        api.getValue("bindingtype").jsonPrimitive.content shouldBe "0"
        val parameter = api.getValue("CustomAPIRequestParameters").jsonArray.single().jsonObject
        parameter.text("uniquename") shouldBe "Target"
        parameter.getValue("type").jsonPrimitive.content shouldBe "5" // EntityReference
        parameter.text("logicalentityname") shouldBe "account"
        parameter.getValue("isoptional").jsonPrimitive.content shouldBe "true"
        api.getValue("CustomAPIResponseProperties").jsonArray.single().jsonObject.getValue("type").jsonPrimitive.content shouldBe "10" // String
        val call = client.post("new_Echo", "{}")
        call.status shouldBe 400
        call.text shouldContain "no implementation in the emulator"
    }

    test("the customapis rows follow the custom APIs registered later and survive reset") {
        emulator.registerCustomApi(CustomApi("new_Later") { emptyMap() })
        client.get("customapis?\$select=uniquename").values.map { it.text("uniquename") } shouldContainExactly listOf("new_Echo", "new_Later")
        emulator.reset()
        client.get("customapis?\$select=uniquename").values.map { it.text("uniquename") } shouldContainExactly listOf("new_Echo", "new_Later")
        emulator.unregisterCustomApi("new_Later")
        client.get("customapis?\$select=uniquename").values.map { it.text("uniquename") } shouldContainExactly listOf("new_Echo")
    }

    test("--schema on the command line sets the option; a bad file stops the start naming file and path") {
        val command = EmulatorMain.parse(arrayOf("--schema", file.toString()))
        command.shouldBeInstanceOf<MainCommand.Serve>()
        command.options.schema shouldBe file
        val bad = Files.createTempFile("bad", ".json")
        Files.writeString(bad, Files.readString(file).replace("\"kind\": \"ManyToOne\"", "\"kind\": \"Sideways\""))
        val error = shouldThrow<EmulatorSchemaException> { DataverseEmulator.start(EmulatorOptions(schema = bad)) }
        error.jsonPath shouldBe "tables[0].relationships[0].kind"
        error.message shouldContain bad.toString()
    }
})
