package dev.dataverse.integration

import dev.dataverse.Filter
import dev.dataverse.ListOptions
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList

class PagingIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val names = (1..23).map { "Paged %02d".format(it) }

    beforeSpec {
        names.forEach { fixture.records.create("account", mapOf("name" to it, "numberofemployees" to it.takeLast(2).toInt())) }
        fixture.records.create("account", mapOf("name" to "Other"))
    }
    val paged = ListOptions(select = listOf("name"), filter = Filter.raw("startswith(name,'Paged')"), orderBy = listOf("name"), pageSize = 5)

    test("a flow over several pages yields every record exactly once, in order") {
        fixture.records.list("account", paged).map { it.getString("name") }.toList() shouldContainExactly names
    }

    test("pages are fetched lazily: taking 3 records of 5-record pages costs one request") {
        fixture.requestsDuring { fixture.records.list("account", paged).take(3).toList() } shouldBe 1
        fixture.requestsDuring { fixture.records.list("account", paged).take(6).toList() } shouldBe 2
    }

    test("pages report sizes, next tokens and the total count") {
        val pages = fixture.records.listPages("account", paged.toBuilder().count(true).build()).toList()
        pages.map { it.records.size } shouldContainExactly listOf(5, 5, 5, 5, 3)
        pages.first().totalCount shouldBe 23
        pages.last().hasNext shouldBe false
    }

    test("manual paging with continuation tokens resumes where the previous page ended") {
        val first = fixture.records.page("account", paged)
        val second = fixture.records.page("account", paged, first.continuationToken)
        (first.records + second.records).map { it.getString("name") } shouldContainExactly names.take(10)
    }

    test("top caps the total across pages") {
        fixture.records.list("account", paged.toBuilder().top(7).build()).toList().size shouldBe 7
    }

    test("descending order and numeric filters") {
        fixture.records.list("account", ListOptions(select = listOf("name"), filter = Filter.raw("numberofemployees ge 20"), orderBy = listOf("numberofemployees desc")))
            .map { it.getString("name") }.toList() shouldContainExactly listOf("Paged 23", "Paged 22", "Paged 21", "Paged 20")
    }
})
