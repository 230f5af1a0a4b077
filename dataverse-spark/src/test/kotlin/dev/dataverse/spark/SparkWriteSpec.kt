package dev.dataverse.spark

import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.apache.spark.TaskContext
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.api.java.UDF1
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.concat
import org.apache.spark.sql.functions.count
import org.apache.spark.sql.functions.countDistinct
import org.apache.spark.sql.functions.lit
import org.apache.spark.sql.functions.spark_partition_id
import io.kotest.matchers.longs.shouldBeInRange
import org.apache.spark.sql.functions.udf
import org.apache.spark.sql.types.DataTypes
import java.nio.file.Files

/** Fails the first attempt of partition 0 when it reaches row [trigger], after earlier rounds of its rows were written. */
class FailFirstAttempt(private val trigger: Long) : UDF1<Long, Long> {
    override fun call(value: Long): Long {
        val task = TaskContext.get()
        if (task.partitionId() == 0 && task.attemptNumber() == 0 && value == trigger) {
            throw IllegalStateException("injected failure of the first attempt at row $value")
        }
        return value
    }
}

class SparkWriteSpec : FunSpec({
    beforeTest { emulator.reset() }

    fun accounts(count: Long, partitions: Int, failAt: Long? = null): Dataset<Row> {
        val ids = spark.range(0, count, 1, partitions).toDF("i")
        val n = if (failAt == null) col("i") else udf(FailFirstAttempt(failAt), DataTypes.LongType).asNondeterministic().apply(col("i"))
        return ids.select(
            concat(lit("row-"), n.cast("string")).alias("name"),
            concat(lit("A-"), col("i").cast("string")).alias("accountnumber"),
            (col("i").mod(1000)).cast("int").alias("numberofemployees"),
        )
    }

    fun writer(data: Dataset<Row>) = data.write().format("dataverse").mode("append")
        .option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN).option("table", "account")

    test("100,000 creates through throttling, resets after apply and a failed task attempt: every row exactly once, budget kept") {
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, probability = 0.10, methods = setOf("POST"), retryAfterSeconds = 1))
        emulator.faults().add(FaultRule(FaultKind.RESET_AFTER_APPLY, probability = 0.03, methods = setOf("POST")))
        writer(accounts(100_000, 4, failAt = 20_000L))
            .option("maxConcurrency", "8").option("chunkSize", "500").option("maxAttempts", "30")
            .save()

        emulator.recordCount("account") shouldBe 100_000
        emulator.stats.faultsInjected(FaultKind.THROTTLE_REQUESTS) shouldBeGreaterThan 0L
        emulator.stats.faultsInjected(FaultKind.RESET_AFTER_APPLY) shouldBeGreaterThan 0L
        // 4 tasks × a share of 2 bulk requests each, the task retry and the resent throttled rows included.
        emulator.stats.maxInFlight shouldBeLessThanOrEqual 8
        val back = read("account").option("maxConcurrency", "4").load()
            .agg(count(lit(1)), countDistinct(col("name")), countDistinct(col("accountid"))).collectAsList().single()
        back.getLong(0) shouldBe 100_000L
        back.getLong(1) shouldBe 100_000L
        back.getLong(2) shouldBe 100_000L
        // Default partitioning by primary id: the ids the connector derived are spread evenly over the 4 ranges.
        read("account").option("maxConcurrency", "4").load().groupBy(spark_partition_id()).count().collectAsList()
            .map { it.getLong(1) }.forEach { it shouldBeInRange 20_000L..30_000L }
    }

    test("upsert by alternate key updates the rows it finds and creates the others; a budget below the slots repartitions") {
        SparkTestSupport.ensureAccountNumberKey()
        fun upsert(data: Dataset<Row>) = writer(data).option("operation", "upsert").option("alternateKey", "accountnumber").option("maxConcurrency", "2").save()
        upsert(accounts(3_000, 3))
        emulator.recordCount("account") shouldBe 3_000
        // Rows 0..4999 with 500+ employees, or numbered A-4...: some exist (renamed), the others are new.
        val changed = accounts(5_000, 5).filter(col("numberofemployees").geq(500).or(col("accountnumber").startsWith("A-4")))
            .withColumn("name", concat(lit("changed-"), col("accountnumber")))
        upsert(changed)
        // 2 tasks (repartitioned from 5, the budget being below the 4 slots) with one request each.
        emulator.stats.maxInFlight shouldBeLessThanOrEqual 2
        val newOnes = changed.filter(col("accountnumber").substr(3, 10).cast("int").geq(3_000)).count()
        val rows = read("account").load()
        rows.count() shouldBe 3_000 + newOnes
        rows.filter(col("name").startsWith("changed-")).count() shouldBe changed.count()
        rows.select("accountnumber").distinct().count() shouldBe 3_000 + newOnes
        rows.filter(col("name").startsWith("row-")).count() shouldBe 3_000 + newOnes - changed.count()
    }

    test("update by alternate key: the service names each record by its key (Learn: Use Upsert...), and every row is written") {
        SparkTestSupport.ensureAccountNumberKey()
        writer(accounts(400, 2)).save()
        // Updates by alternate key go through $batch, whose answers carry OData-EntityId by key, not by id.
        writer(accounts(400, 2).withColumn("name", concat(lit("updated-"), col("accountnumber"))))
            .option("operation", "update").option("alternateKey", "accountnumber").save()
        val rows = read("account").load()
        rows.count() shouldBe 400L
        rows.filter(col("name").startsWith("updated-A-")).count() shouldBe 400L
    }

    test("a refused row fails the task with the row in the message; with onError=continue it goes to the failures output") {
        val bad = "x".repeat(300)
        val data = accounts(50, 2).withColumn("name", org.apache.spark.sql.functions.`when`(col("numberofemployees").equalTo(7), lit(bad)).otherwise(col("name")))
        val failure = shouldThrow<Exception> { writer(data).save() }
        generateSequence(failure as Throwable) { it.cause }.joinToString(" | ") { it.message.orEmpty() } shouldContain "\"accountnumber\":\"A-7\""

        emulator.reset()
        val directory = Files.createTempDirectory("dataverse-failures")
        writer(data).option("onError", "continue").option("failuresPath", directory.toString()).option("idSeed", "failures-test").save()
        emulator.recordCount("account") shouldBe 49
        val failures = spark.read().json(directory.resolve("failures-test.json").toString())
        failures.count() shouldBe 1L
        val row = failures.select("row.accountnumber", "statusCode", "message").collectAsList().single()
        row.getString(0) shouldBe "A-7"
        row.getLong(1) shouldBeGreaterThan 399L
        failures.select("partition").collectAsList().map { it.getLong(0) } shouldContainExactly listOf(0L)
    }
})
