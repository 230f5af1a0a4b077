package dev.dataverse.spark

import dev.dataverse.ListOptions
import dev.dataverse.spark.SparkTestSupport.SYNTHETIC_ROWS
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.flow.toList
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.count
import org.apache.spark.sql.functions.countDistinct
import org.apache.spark.sql.functions.lit
import org.apache.spark.sql.functions.max
import org.apache.spark.sql.functions.min
import org.apache.spark.sql.functions.spark_partition_id
import org.apache.spark.sql.functions.sum
import java.math.BigDecimal

class SparkReadSpec : FunSpec({
    test("one million synthetic rows in 8 partitions: every row exactly once, each partition one disjoint range") {
        emulator.reset()
        val rows = read("dv_syntheticrow")
            .option("partitions", "8").option("partitionColumn", "dv_number")
            .option("lowerBound", "0").option("upperBound", SYNTHETIC_ROWS.toString())
            .option("maxConcurrency", "8")
            .load()
            .select("dv_syntheticrowid", "dv_number")
        rows.rdd().getNumPartitions() shouldBe 8
        // One pass over the million rows: per partition its count, distinct ids, and the range and sum of its numbers.
        val perPartition = rows.groupBy(spark_partition_id().alias("p"))
            .agg(
                count(lit(1)).alias("n"), countDistinct(col("dv_syntheticrowid")).alias("ids"),
                min("dv_number").alias("lo"), max("dv_number").alias("hi"), sum("dv_number").alias("total"),
            )
            .orderBy("p").collectAsList()
        val share = SYNTHETIC_ROWS / 8
        perPartition.map { it.getInt(0) } shouldContainExactly (0 until 8).toList()
        perPartition.forEachIndexed { p, row ->
            val lo = p * share
            val hi = lo + share - 1
            row.getLong(1) shouldBe share
            row.getLong(2) shouldBe share
            row.getInt(3).toLong() shouldBe lo
            row.getInt(4).toLong() shouldBe hi
            row.getLong(5) shouldBe (lo + hi) * share / 2
        }
        // 8 partitions, one request in flight each.
        emulator.stats.maxInFlight shouldBeLessThanOrEqual 8
    }

    test("partitions by the primary id cover every row once, whatever order the service sorts GUIDs in") {
        val rows = read("dv_syntheticrow").option("partitions", "5").option("filter", "dv_number lt 20000").load()
            .agg(count(lit(1)), countDistinct(col("dv_syntheticrowid")), min("dv_number"), max("dv_number")).collectAsList().single()
        rows.getLong(0) shouldBe 20_000L
        rows.getLong(1) shouldBe 20_000L
        rows.getInt(2) shouldBe 0
        rows.getInt(3) shouldBe 19_999
    }

    test("column pruning and filter pushdown are on the wire; filters the service cannot decide stay with Spark") {
        val client = SparkTestSupport.client
        val names = listOf("Beta", "Alpha", "alpine", "ALPS", "Gamma")
        client.records.createMany(
            "account",
            names.mapIndexed { i, name -> mapOf("name" to name, "numberofemployees" to i * 10, "revenue" to BigDecimal("1000.50").multiply(BigDecimal(i))) },
        ).succeeded shouldBe names.size
        RecordingProxy(emulator.baseUrl).use { proxy ->
            val result = read("account", proxy.url).option("partitions", "1").load()
                .filter(col("numberofemployees").geq(10).and(col("name").startsWith("Al")).and(col("name").rlike("^A.*")))
                .select("name", "revenue")
                .collectAsList()
            // The service's startswith is case-insensitive ("alpine", "ALPS"); Spark keeps its own case-sensitive check.
            result.map { it.getString(0) } shouldContainExactly listOf("Alpha")
            val listing = proxy.requests.single { it.startsWith("GET /api/data/v9.2/accounts?") }
            // Only what Spark still needs: the output columns, and name for the filters it evaluates again.
            listing.substringAfter("\$select=").substringBefore('&').split(',').toSet() shouldBe setOf("name", "revenue")
            listing shouldContain "numberofemployees ge 10"
            listing shouldContain "startswith(name,'Al')"
            listing shouldNotContain "rlike"
        }
        val exact = read("account").load().filter(col("numberofemployees").gt(20)).select("name").collectAsList().map { it.getString(0) }
        exact.sorted() shouldContainExactly listOf("ALPS", "Gamma")
        client.records.list("account", ListOptions(select = listOf("accountid"))).toList().map { it.id!! }
            .let { ids -> client.records.deleteMany("account", ids.map { dev.dataverse.RecordKey.id(it) }).succeeded shouldBe names.size }
    }
})
