package dev.dataverse.model

import dev.dataverse.ColumnTypeException
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.UUID

/** The conversions generated custom API requests and responses rely on. */
class MessageValuesSpec : FunSpec({
    val id = UUID.fromString("7c5b0c2e-1f0a-4c4e-9a57-0f1e6a2b3c4d")

    fun record(json: String) = DataverseRecord.fromJson(null, null, json)

    test("required: the value, or an InvalidInputException naming the API and the parameter") {
        MessageValues.required("new_A", "P", 3) shouldBe 3
        val error = shouldThrow<InvalidInputException> { MessageValues.required<String>("new_A", "Text", null) }
        error.message shouldContain "'new_A'"
        error.message shouldContain "'Text'"
    }

    test("reference: table from @odata.type, id from <table>id or the single GUID-valued property") {
        MessageValues.reference(record("""{"R":{"@odata.type":"#Microsoft.Dynamics.CRM.account","accountid":"$id"}}"""), "R", null) shouldBe
            EntityReference("account", id)
        // An activity's primary id is activityid, not emailid.
        MessageValues.reference(record("""{"R":{"@odata.type":"#Microsoft.Dynamics.CRM.email","activityid":"$id","subject":"x"}}"""), "R", null) shouldBe
            EntityReference("email", id)
        // Without @odata.type, the snapshot's table.
        MessageValues.reference(record("""{"R":{"contactid":"$id"}}"""), "R", "contact") shouldBe EntityReference("contact", id)
        MessageValues.reference(record("""{"R":null}"""), "R", "contact").shouldBeNull()
        MessageValues.reference(record("""{}"""), "R", "contact").shouldBeNull()
        shouldThrow<ColumnTypeException> { MessageValues.reference(record("""{"R":{"name":"x"}}"""), "R", "account") }
        shouldThrow<ColumnTypeException> { MessageValues.reference(record("""{"R":{"contactid":"$id"}}"""), "R", null) }
    }

    test("strings: a list of strings, null when absent, a typed error otherwise") {
        MessageValues.strings(record("""{"S":["a","b"]}"""), "S") shouldBe listOf("a", "b")
        MessageValues.strings(record("""{}"""), "S").shouldBeNull()
        shouldThrow<ColumnTypeException> { MessageValues.strings(record("""{"S":[1]}"""), "S") }
        shouldThrow<ColumnTypeException> { MessageValues.strings(record("""{"S":"a"}"""), "S") }
    }
})
