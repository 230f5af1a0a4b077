package dev.dataverse

import dev.dataverse.Filter
import dev.dataverse.Expand
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.TableMetadata
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.time.LocalDate
import java.util.UUID

private val accounts = TableMetadata("account", "accounts", "accountid", "name", "Account", null)
private val contacts = TableMetadata("contact", "contacts", "contactid", "fullname", "Contact", null)

class RecordKeyAndOptionsSpec : FunSpec({
    test("primary id keys are bare GUIDs") {
        val id = UUID.fromString("00000000-0000-0000-0000-000000000001")
        QueryStrings.recordPath(accounts, RecordKey.id(id)) shouldBe "accounts(00000000-0000-0000-0000-000000000001)"
        RecordKey.id("{00000000-0000-0000-0000-000000000001}") shouldBe RecordKey.id(id)
    }

    test("alternate keys are quoted, escaped and percent-encoded") {
        QueryStrings.recordPath(accounts, RecordKey.alternate("accountnumber", "O'Neil/#1?")) shouldBe
            "accounts(accountnumber='O''Neil%2F%231%3F')"
        QueryStrings.recordPath(contacts, RecordKey.alternate("firstname" to "Joe", "birthdate" to LocalDate.of(1990, 1, 2), "n" to 3)) shouldBe
            "contacts(firstname='Joe',birthdate=1990-01-02,n=3)"
    }

    test("invalid keys fail at construction") {
        shouldThrow<InvalidInputException> { RecordKey.id("nope") }
        shouldThrow<InvalidInputException> { RecordKey.alternate(emptyMap()) }
        shouldThrow<InvalidInputException> { RecordKey.alternate("bad name", "x") }
        shouldThrow<InvalidInputException> { RecordKey.alternate("accountnumber", Any()) }.message shouldContain "accountnumber"
    }

    test("list options become OData query options") {
        QueryStrings.listQuery(
            ListOptions(
                select = listOf("name", "revenue"), filter = Filter.raw("name eq 'A&B'"), orderBy = listOf("name  desc", "revenue"),
                expand = listOf(Expand.raw("primarycontactid(\$select=fullname)")), top = 10, count = true,
            ),
        ) shouldBe "?\$select=name,revenue&\$filter=name%20eq%20'A%26B'&\$orderby=name%20desc,revenue" +
            "&\$expand=primarycontactid(\$select%3Dfullname)&\$top=10&\$count=true"
        QueryStrings.listQuery(ListOptions.DEFAULT) shouldBe ""
        QueryStrings.readPreferences(50, true) shouldBe "odata.maxpagesize=50,odata.include-annotations=\"*\""
        QueryStrings.readPreferences(null, false) shouldBe null
    }

    test("invalid list options fail at construction with the option named") {
        shouldThrow<InvalidInputException> { ListOptions(pageSize = 0) }.message shouldContain "'pageSize'"
        shouldThrow<InvalidInputException> { ListOptions(pageSize = 5001) }.message shouldContain "5000"
        shouldThrow<InvalidInputException> { ListOptions(top = 0) }.message shouldContain "'top'"
        shouldThrow<InvalidInputException> { ListOptions(select = listOf("name,revenue")) }
        shouldThrow<InvalidInputException> { ListOptions(filter = Filter.raw(" ")) }
        shouldThrow<InvalidInputException> { ListOptions.builder().orderBy("name; drop").build() }
    }

    test("the Java builder produces the same options") {
        val built = ListOptions.builder().select("name").filter(Filter.raw("x eq 1")).orderBy("name desc").top(5).pageSize(2).count(true)
            .includeAnnotations(true).build()
        built.toString() shouldBe ListOptions(listOf("name"), Filter.raw("x eq 1"), listOf("name desc"), emptyList(), 5, 2, true, true).toString()
        built.toBuilder().top(6).build().top shouldBe 6
    }
})
