package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.UUID
import kotlin.random.Random

/**
 * SQL Server's `uniqueidentifier` order (Learn: "Comparing GUID and uniqueidentifier values"): the bytes of .NET's
 * `Guid.ToByteArray()` (first three fields little-endian) compared in the order 10–15, 8–9, 6–7, 4–5, 0–3.
 */
object SqlServerGuidOrder : Comparator<UUID> {
    private val significance = intArrayOf(10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3)

    private fun dotNetBytes(id: UUID): ByteArray {
        val big = java.nio.ByteBuffer.allocate(16).putLong(id.mostSignificantBits).putLong(id.leastSignificantBits).array()
        val order = intArrayOf(3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15)
        return ByteArray(16) { big[order[it]] }
    }

    override fun compare(a: UUID, b: UUID): Int {
        val x = dotNetBytes(a)
        val y = dotNetBytes(b)
        for (i in significance) {
            val c = (x[i].toInt() and 0xff).compareTo(y[i].toInt() and 0xff)
            if (c != 0) return c
        }
        return 0
    }
}

/** GUID text order (unsigned 128-bit), as the emulator and most stores compare them. */
object TextGuidOrder : Comparator<UUID> {
    override fun compare(a: UUID, b: UUID): Int = a.toString().compareTo(b.toString())
}

class PartitionPlanningSpec : FunSpec({
    test("GUID boundaries grow in SQL Server's order and in text order alike: every id falls in exactly one range in both") {
        val boundaries = PartitionPlanning.guidBoundaries(8)
        boundaries shouldHaveSize 7
        boundaries.first().toString() shouldBe "20002000-2000-2000-2000-200020002000"
        for (order in listOf(SqlServerGuidOrder, TextGuidOrder)) {
            boundaries.zipWithNext().forEach { (a, b) -> order.compare(a, b) shouldBeLessThan 0 }
            val random = Random(7)
            val counts = IntArray(8)
            repeat(8_000) {
                val id = UUID(random.nextLong(), random.nextLong())
                // The ranges as the service evaluates them: [.., b1), [b1, b2), ..., [b7, ..].
                val matching = (0 until 8).filter { p ->
                    (p == 0 || order.compare(id, boundaries[p - 1]) >= 0) && (p == 7 || order.compare(id, boundaries[p]) < 0)
                }
                matching shouldHaveSize 1
                counts[matching.single()]++
            }
            counts.forEach { it shouldBeInRange 800..1200 }
        }
    }

    test("the ranges are half-open and the first one takes the nulls") {
        val filters = PartitionPlanning.plan(4, RangeSpec("numberofemployees", "0", "100"), "accountid", listOf(column("numberofemployees", ColumnType.INTEGER)))
        filters.map { it!!.toODataString() } shouldContainExactly listOf(
            "numberofemployees lt 25 or numberofemployees eq null",
            "numberofemployees ge 25 and numberofemployees lt 50",
            "numberofemployees ge 50 and numberofemployees lt 75",
            "numberofemployees ge 75",
        )
        PartitionPlanning.plan(1, null, "accountid", emptyList()) shouldContainExactly listOf(null)
        PartitionPlanning.plan(3, null, "accountid", emptyList()).first()!!.toODataString() shouldContain "accountid lt 55555555-5555-5555-5555-555555555555"
    }

    test("date-time, date and decimal columns split evenly; narrow ranges give fewer partitions") {
        val created = PartitionPlanning.plan(
            2, RangeSpec("createdon", "2024-01-01", "2024-01-03T00:00:00Z"), "id", listOf(column("createdon", ColumnType.DATE_TIME)),
        )
        created.last()!!.toODataString() shouldBe "createdon ge 2024-01-02T00:00:00Z"
        PartitionPlanning.dateBoundaries(java.time.LocalDate.parse("2024-01-01"), java.time.LocalDate.parse("2024-01-05"), 2) shouldContainExactly
            listOf(java.time.LocalDate.parse("2024-01-03"))
        PartitionPlanning.decimalBoundaries("0".toBigDecimal(), "1".toBigDecimal(), 4).map { it.toPlainString() } shouldContainExactly listOf("0.25", "0.5", "0.75")
        PartitionPlanning.wholeBoundaries("0".toBigDecimal(), "3".toBigDecimal(), 8) shouldContainExactly listOf(1L, 2L)
    }

    test("bad partition columns and bounds are refused by name") {
        val columns = listOf(column("name", ColumnType.STRING), column("n", ColumnType.INTEGER))
        shouldThrow<InvalidInputException> { PartitionPlanning.plan(2, RangeSpec("name", "a", "z"), "id", columns) }.message shouldContain "whole-number, decimal or date"
        shouldThrow<InvalidInputException> { PartitionPlanning.plan(2, RangeSpec("missing", "1", "2"), "id", columns) }.message shouldContain "'missing'"
        shouldThrow<InvalidInputException> { PartitionPlanning.plan(2, RangeSpec("n", "5", "1"), "id", columns) }.message shouldContain "below"
        shouldThrow<InvalidInputException> { PartitionPlanning.plan(2, RangeSpec("n", "x", "1"), "id", columns) }.message shouldContain "numbers"
    }
})
