package dev.dataverse.emulator

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.records.RecordKey
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.UUID

class RecordKeySpec : FunSpec({
    val columns = ColumnFactory("new_item")
    val table = TableDefinition(
        logicalName = "new_item",
        schemaName = "new_Item",
        entitySetName = "new_items",
        primaryIdAttribute = "new_itemid",
        primaryNameAttribute = "new_name",
        displayName = "Item",
        displayCollectionName = "Items",
        metadataId = StableIds.of("entity", "new_item"),
        columns = listOf(
            columns.primaryId("new_itemid", "new_ItemId", "Item"),
            columns.text("new_name", "new_Name", "Name", 100),
            columns.integer("new_number", "new_Number", "Number", 0, 1000),
        ),
        keys = listOf(
            AlternateKeyDefinition("new_composite", "new_Composite", "Composite", listOf("new_name", "new_number"), StableIds.of("key", "new_item")),
        ),
        isCustomEntity = true,
    )

    test("a composite key in either order resolves to the values in key order") {
        val expected = RecordKey.ByAlternateKey(table.keys.single(), listOf("a'b", 7))
        RecordKey.resolve(table, "new_name='a''b',new_number=7") shouldBe expected
        RecordKey.resolve(table, "new_number=7,new_name='a''b'") shouldBe expected
    }

    test("a bare GUID and the primary id name resolve to the id") {
        val id = UUID.randomUUID()
        RecordKey.resolve(table, "$id") shouldBe RecordKey.ById(id)
        RecordKey.resolve(table, "new_itemid=$id") shouldBe RecordKey.ById(id)
    }

    test("partial keys, wrong literal types and unknown names are invalid keys") {
        listOf("new_name='a'", "new_name='a',new_number='7'", "new_name=1,new_number=7", "other='x'", "'text'", "new_itemid='x'")
            .forEach { text ->
                val error = shouldThrow<ApiException> { RecordKey.resolve(table, text) }
                error.status shouldBe 400
                error.message shouldBe
                    "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.new_item'. Ensure that the names and number of key " +
                    "properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.new_item'."
            }
    }
})
