package dev.dataverse.model

import dev.dataverse.ColumnTypeException
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID

private enum class Color(override val value: Int) : ChoiceValue { RED(100000000), GREEN(100000001), BLUE(100000002) }

class TypedColumnSpec : FunSpec({
    val name = StringColumn("name")
    val revenue = ComparableColumn<BigDecimal>("revenue")
    val createdOn = ComparableColumn<Instant>("createdon")
    val state = ChoiceColumn<Color>("new_color")
    val colors = MultiChoiceColumn<Color>("new_colors")
    val contact = LookupColumn("primarycontactid", mapOf("contact" to "primarycontactid"))
    val customer = LookupColumn("parentcustomerid", linkedMapOf("account" to "parentcustomerid_account", "contact" to "parentcustomerid_contact"))
    val id = UUID.fromString("00000000-0000-0000-0000-000000000001")

    test("typed columns build the same filters as the string forms") {
        name.startsWith("Con") shouldBe Filter.startsWith("name", "Con")
        (name eq "O'Neil").toODataString() shouldBe "name eq 'O''Neil'"
        (revenue gt BigDecimal("1000")) shouldBe Filter.gt("revenue", BigDecimal("1000"))
        createdOn.between(Instant.EPOCH, Instant.parse("2024-01-01T00:00:00Z")) shouldBe
            Filter.between("createdon", Instant.EPOCH, Instant.parse("2024-01-01T00:00:00Z"))
        name.isNull() shouldBe Filter.isNull("name")
        ((name contains "a") and (revenue le BigDecimal.TEN)).toODataString() shouldBe "contains(name,'a') and revenue le 10"
    }

    test("a choice filters by its integer value") {
        (state eq Color.GREEN).toODataString() shouldBe "new_color eq 100000001"
        state.isIn(Color.RED, Color.BLUE).toODataString() shouldBe "new_color eq 100000000 or new_color eq 100000002"
    }

    test("a lookup filters on its value property, and checks a reference's table") {
        (contact eq id).toODataString() shouldBe "_primarycontactid_value eq 00000000-0000-0000-0000-000000000001"
        (customer eq EntityReference("contact", id)) shouldBe Filter.eq("_parentcustomerid_value", id)
        shouldThrow<InvalidInputException> { contact eq EntityReference("account", id) }.message shouldContain "cannot point to table 'account'"
        customer.navigationProperty("account") shouldBe "parentcustomerid_account"
    }

    test("multi-select choices use ContainValues with distinct values") {
        colors.containsValues(Color.RED, Color.BLUE, Color.RED).toODataString() shouldBe
            "Microsoft.Dynamics.CRM.ContainValues(PropertyName='new_colors',PropertyValues=['100000000','100000002'])"
        colors.doesNotContainValues(listOf(Color.GREEN)).toODataString() shouldBe
            "Microsoft.Dynamics.CRM.DoesNotContainValues(PropertyName='new_colors',PropertyValues=['100000001'])"
        shouldThrow<InvalidInputException> { colors.containsValues(emptyList()) }
    }

    test("bad names fail when the constant is made") {
        shouldThrow<InvalidInputException> { StringColumn("na me") }
        shouldThrow<InvalidInputException> { LookupColumn("x", emptyMap()) }
    }

    test("model values read choices, multi-select choices and lookups as the service sends them") {
        val record = DataverseRecord.fromJson(
            "contact", "contactid",
            """{"contactid":"$id","new_color":100000002,"new_colors":"100000002,100000000","_primarycontactid_value":"$id",
               |"_parentcustomerid_value":"$id","_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account"}""".trimMargin(),
        )
        ModelValues.choice(record, "new_color", Color.values()) shouldBe Color.BLUE
        ModelValues.multiChoice(record, "new_colors", Color.values()) shouldBe setOf(Color.RED, Color.BLUE)
        ModelValues.multiChoiceText(setOf(Color.BLUE, Color.RED)) shouldBe "100000000,100000002"
        ModelValues.lookupId(record, contact) shouldBe id
        ModelValues.lookup(record, contact) shouldBe EntityReference("contact", id)
        ModelValues.lookup(record, customer) shouldBe EntityReference("account", id)
        ModelValues.choice(record, "missing", Color.values()) shouldBe null
    }

    test("a value the model does not know is a typed error naming the column") {
        val record = DataverseRecord.fromJson("x", "xid", """{"new_color":7,"new_colors":"1,x","_parentcustomerid_value":"$id"}""")
        shouldThrow<ColumnTypeException> { ModelValues.choice(record, "new_color", Color.values()) }.column shouldBe "new_color"
        shouldThrow<ColumnTypeException> { ModelValues.multiChoice(record, "new_colors", Color.values()) }.message shouldContain "not a list"
        shouldThrow<ColumnTypeException> { ModelValues.lookup(record, customer) }.message shouldContain "annotations"
    }
})
