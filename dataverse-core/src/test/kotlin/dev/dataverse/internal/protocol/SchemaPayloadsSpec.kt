package dev.dataverse.internal.protocol

import dev.dataverse.AlternateKeySpec
import dev.dataverse.ColumnSpec
import dev.dataverse.ColumnType
import dev.dataverse.KeyIndexStatus
import dev.dataverse.MalformedResponseException
import dev.dataverse.ManyToManySpec
import dev.dataverse.OneToManySpec
import dev.dataverse.RelationshipType
import dev.dataverse.TableOwnership
import dev.dataverse.TableSpec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import java.math.BigDecimal

class SchemaPayloadsSpec : FunSpec({
    fun label(text: String) =
        """{"@odata.type":"Microsoft.Dynamics.CRM.Label","LocalizedLabels":[{"@odata.type":"Microsoft.Dynamics.CRM.LocalizedLabel","Label":"$text","LanguageCode":1033}]}"""
    fun parse(text: String): JsonObject = Json.parseToJsonElement(text).jsonObject

    test("a table payload has the WIRE.md shape: labels, ownership, one primary name attribute, no lookups") {
        val spec = TableSpec(
            "new_Product", "Product",
            columns = listOf(ColumnSpec.string("new_Code", "Code", 20), ColumnSpec.lookup("new_AccountId", "Account", "account")),
        )
        SchemaPayloads.table(spec).toString() shouldBe
            """{"@odata.type":"Microsoft.Dynamics.CRM.EntityMetadata","SchemaName":"new_Product","DisplayName":${label("Product")},""" +
            """"DisplayCollectionName":${label("Products")},"OwnershipType":"UserOwned","HasActivities":false,"HasNotes":false,"IsActivity":false,""" +
            """"Attributes":[{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Name","DisplayName":${label("Name")},""" +
            """"RequiredLevel":{"Value":"None"},"MaxLength":100,"FormatName":{"Value":"Text"},"IsPrimaryName":true},""" +
            """{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Code","DisplayName":${label("Code")},""" +
            """"RequiredLevel":{"Value":"None"},"MaxLength":20,"FormatName":{"Value":"Text"}}]}"""
    }

    test("attribute payloads of every creatable type carry their type-specific properties") {
        val choice = SchemaPayloads.attribute(ColumnSpec.choice("new_Size", "Size", "Small", "Large"))
        choice.toString() shouldContain """"OptionSet":{"@odata.type":"Microsoft.Dynamics.CRM.OptionSetMetadata","IsGlobal":false,"OptionSetType":"Picklist",""" +
            """"Options":[{"@odata.type":"Microsoft.Dynamics.CRM.OptionMetadata","Value":100000000,"Label":${label("Small")}},"""
        SchemaPayloads.attribute(ColumnSpec.multiChoice("new_Tags", "Tags", "A")).toString() shouldContain "MultiSelectPicklistAttributeMetadata"
        SchemaPayloads.attribute(ColumnSpec.boolean("new_On", "On", "Yes", "No")).toString() shouldContain
            """"TrueOption":{"@odata.type":"Microsoft.Dynamics.CRM.OptionMetadata","Value":1,"Label":${label("Yes")}}"""
        SchemaPayloads.attribute(ColumnSpec.dateOnly("new_Due", "Due")).toString() shouldContain """"Format":"DateOnly""""
        SchemaPayloads.attribute(ColumnSpec.dateTime("new_At", "At")).toString() shouldContain """"Format":"DateAndTime""""
        SchemaPayloads.attribute(ColumnSpec.file("new_Doc", "Doc", 1024)).toString() shouldContain """"MaxSizeInKB":1024"""
        SchemaPayloads.attribute(ColumnSpec.image("new_Pic", "Pic")).toString() shouldContain "ImageAttributeMetadata"
        SchemaPayloads.attribute(ColumnSpec.double("new_W", "W", 3)).toString() shouldContain """"Precision":3,"MinValue":-100000000000,"MaxValue":100000000000"""
        SchemaPayloads.attribute(ColumnSpec.integer("new_N", "N", 0, 10)).toString() shouldContain """"Format":"None","MinValue":0,"MaxValue":10"""
        SchemaPayloads.attribute(ColumnSpec.memo("new_M", "M", 500)).toString() shouldContain """"MaxLength":500,"Format":"TextArea""""
        SchemaPayloads.attribute(ColumnSpec.money("new_P", "P")).toString() shouldContain "MoneyAttributeMetadata"
        SchemaPayloads.attribute(ColumnSpec.decimal("new_D", "D")).toString() shouldContain "DecimalAttributeMetadata"
    }

    test("relationship and key payloads are exactly the SDK's") {
        SchemaPayloads.oneToMany(OneToManySpec("account", "new_order", "new_AccountId", "Account"), "accountid").toString() shouldBe
            """{"@odata.type":"Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata","SchemaName":"account_new_order_new_AccountId",""" +
            """"ReferencedEntity":"account","ReferencingEntity":"new_order","ReferencedAttribute":"accountid",""" +
            """"CascadeConfiguration":{"Assign":"NoCascade","Delete":"RemoveLink","Merge":"NoCascade","Reparent":"NoCascade","Share":"NoCascade","Unshare":"NoCascade"},""" +
            """"Lookup":{"@odata.type":"Microsoft.Dynamics.CRM.LookupAttributeMetadata","SchemaName":"new_AccountId","AttributeType":"Lookup",""" +
            """"AttributeTypeName":{"Value":"LookupType"},"DisplayName":${label("Account")},"RequiredLevel":{"Value":"None","CanBeChanged":true,""" +
            """"ManagedPropertyLogicalName":"canmodifyrequirementlevelsettings"}}}"""
        SchemaPayloads.manyToMany(ManyToManySpec("new_account_contact", "account", "contact")).toString() shouldBe
            """{"@odata.type":"Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata","SchemaName":"new_account_contact",""" +
            """"Entity1LogicalName":"account","Entity2LogicalName":"contact","IntersectEntityName":"new_account_contact"}"""
        SchemaPayloads.key(AlternateKeySpec("new_AccountNumberKey", listOf("accountnumber"))).toString() shouldBe
            """{"SchemaName":"new_AccountNumberKey","KeyAttributes":["accountnumber"],"DisplayName":${label("new_AccountNumberKey")}}"""
    }

    test("parsers read what they need, ignore the rest, and name a missing required property") {
        val table = SchemaResponses.table(
            parse(
                """{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84","LogicalName":"account","SchemaName":"Account","EntitySetName":"accounts",
                "PrimaryIdAttribute":"accountid","PrimaryNameAttribute":"name","IsCustomEntity":false,"OwnershipType":"OrganizationOwned",
                "DisplayName":{"LocalizedLabels":[{"Label":"Account","LanguageCode":1033}],"UserLocalizedLabel":null},"Unknown":[1,2]}""",
            ),
        )
        table.displayName shouldBe "Account"
        table.ownership shouldBe TableOwnership.ORGANIZATION_OWNED
        shouldThrow<MalformedResponseException> { SchemaResponses.table(parse("""{"LogicalName":"account"}""")) }.message shouldContain "SchemaName"

        val file = SchemaResponses.column(
            parse(
                """{"@odata.type":"#Microsoft.Dynamics.CRM.FileAttributeMetadata","MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d85",
                "LogicalName":"new_doc","SchemaName":"new_Doc","AttributeType":"Virtual","MaxSizeInKB":1024,"RequiredLevel":{"Value":"None"}}""",
            ),
        )
        file.type shouldBe ColumnType.FILE
        file.maxSizeInKB shouldBe 1024
        SchemaResponses.columnType("DateTime", null, "DateOnly") shouldBe ColumnType.DATE_ONLY
        SchemaResponses.columnType("Virtual", "#Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata", null) shouldBe ColumnType.MULTI_CHOICE
        SchemaResponses.columnType("Virtual", "#Microsoft.Dynamics.CRM.Something", null) shouldBe ColumnType.OTHER
        SchemaResponses.column(parse("""{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d85","LogicalName":"x","SchemaName":"X","AttributeType":"Decimal","MinValue":-1.5}"""))
            .minValue shouldBe BigDecimal("-1.5")

        val manyToMany = SchemaResponses.relationship(
            parse(
                """{"@odata.type":"#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata","SchemaName":"new_a_b","MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d86",
                "Entity1LogicalName":"a","Entity2LogicalName":"b","Entity1NavigationPropertyName":"new_a_b","IsCustomRelationship":true}""",
            ),
        )
        manyToMany.type shouldBe RelationshipType.MANY_TO_MANY
        manyToMany.table1NavigationProperty shouldBe "new_a_b"

        val key = SchemaResponses.key(
            parse("""{"SchemaName":"K","LogicalName":"k","KeyAttributes":["a","b"],"EntityKeyIndexStatus":"InProgress","MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d87"}"""),
        )
        key.status shouldBe KeyIndexStatus.IN_PROGRESS
        key.columns shouldContainExactly listOf("a", "b")
        shouldThrow<MalformedResponseException> {
            SchemaResponses.key(parse("""{"SchemaName":"K","LogicalName":"k","KeyAttributes":[],"EntityKeyIndexStatus":"Exploded","MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d87"}"""))
        }

        val options = SchemaResponses.options(
            "account",
            parse(
                """{"LogicalName":"new_on","OptionSet":{"TrueOption":{"Value":1,"Label":{"UserLocalizedLabel":{"Label":"Yes"}}},
                "FalseOption":{"Value":0,"Label":{"LocalizedLabels":[{"Label":"No"}]}}}}""",
            ),
            multiSelect = false,
        )
        options.options.map { it.value to it.label } shouldContainExactly listOf(1 to "Yes", 0 to "No")
        shouldThrow<MalformedResponseException> { SchemaResponses.options("account", parse("""{"LogicalName":"x"}"""), false) }
    }
})
