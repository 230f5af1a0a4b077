package dev.dataverse.spark.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType
import org.apache.spark.unsafe.types.UTF8String

class DerivedIdsSpec : FunSpec({
    val schema = StructType().add("name", DataTypes.StringType).add("n", DataTypes.IntegerType)
    fun row(name: String, n: Int): InternalRow = GenericInternalRow(arrayOf<Any?>(UTF8String.fromString(name), n))
    val rows = listOf(row("a", 1), row("b", 2), row("a", 1), row("c", 3))

    test("a retried attempt derives the same ids even when its rows arrive in another order; identical rows get distinct ids") {
        val first = DerivedIds("query-1", 0, schema).let { ids -> rows.map { ids.next(it) } }
        val retried = DerivedIds("query-1", 0, schema).let { ids -> rows.reversed().map { ids.next(it) } }
        first.toSet() shouldHaveSize 4
        retried shouldContainExactlyInAnyOrder first
        // The first ("a", 1) to arrive gets the first id of that content, whichever of the twins it is.
        retried[1] shouldBe first[0]
        retried[3] shouldBe first[2]
    }

    test("another partition, seed or content gives other ids") {
        val base = DerivedIds("query-1", 0, schema).next(row("a", 1))
        DerivedIds("query-1", 1, schema).next(row("a", 1)) shouldNotBe base
        DerivedIds("query-2", 0, schema).next(row("a", 1)) shouldNotBe base
        DerivedIds("query-1", 0, schema).next(row("a", 2)) shouldNotBe base
    }
})
