package dev.dataverse.spark

import dev.dataverse.BulkOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.spark.SparkTestSupport.client
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.functions.avg
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.count
import org.apache.spark.sql.functions.lit
import org.apache.spark.sql.functions.max
import org.apache.spark.sql.functions.min
import org.apache.spark.sql.functions.sum
import java.math.BigDecimal

/** Pushdown of LIMIT, IN/OR/LIKE and aggregates, seen on the wire, and the connector's metrics in the Spark UI. */
class SparkPushdownSpec : FunSpec({
    val rows = 3_000
    beforeSpec {
        emulator.reset()
        val accounts = (0 until rows).map { i ->
            mapOf(
                "name" to "Account $i", "accountnumber" to "N-$i",
                "numberofemployees" to (if (i % 7 == 0) null else i % 1000),
                "revenue" to BigDecimal(i).multiply(BigDecimal("1.50")),
            )
        }
        client.records.createMany("account", accounts, BulkOptions(chunkSize = 1000)).succeeded shouldBe rows
    }

    fun listings(requests: List<String>) = requests.filter { it.startsWith("GET /api/data/v9.2/accounts?") && !it.contains("fetchXml=") }
    fun fetches(requests: List<String>) = requests.filter { it.startsWith("GET /api/data/v9.2/accounts?fetchXml=") }

    test("LIMIT is read with \$top by one partition, one request") {
        RecordingProxy(emulator.baseUrl).use { proxy ->
            read("account", proxy.url).load().select("name").limit(7).collectAsList() shouldHaveSize 7
            val listing = listings(proxy.requests).single()
            listing shouldContain "\$top=7"
        }
    }

    test("IN, OR and LIKE patterns OData can say are on the wire; Spark keeps the text ones and its own exact answer") {
        RecordingProxy(emulator.baseUrl).use { proxy ->
            spark.read().format("dataverse").option("url", proxy.url).option("token", SparkTestSupport.TOKEN).option("table", "account")
                .option("partitions", "1").load().createOrReplaceTempView("pushdown_accounts")
            val found = spark.sql(
                "SELECT name FROM pushdown_accounts WHERE (numberofemployees IN (10, 30) OR revenue = 1.5) " +
                    "AND (name LIKE 'Account 1%' OR name LIKE '%30' OR name LIKE '%unt 10%') AND name NOT LIKE 'x_z%'",
            ).collectAsList().map { it.getString(0) }.sorted()
            // Employees 10 or 30 (rows 10, 30, 1010, 1030, 2010; 2030 has none), or revenue 1.50 (row 1), then the names.
            found shouldBe listOf("Account 1", "Account 10", "Account 1010", "Account 1030", "Account 30")
            val listing = listings(proxy.requests).single()
            listing shouldContain "numberofemployees eq 10 or numberofemployees eq 30"
            listing shouldContain "revenue eq 1.5"
            listing shouldContain "startswith(name,'Account 1') or endswith(name,'30') or contains(name,'unt 10')"
            listing shouldNotContain "x_z" // a LIKE with a single-character wildcard has no OData form: Spark only
        }
    }

    test("count, count(column), sum, min, max and avg are computed by the service: one FetchXML aggregate per partition, no page") {
        fun frame(url: String, pushDown: Boolean): Dataset<Row> = spark.read().format("dataverse").option("url", url)
            .option("token", SparkTestSupport.TOKEN).option("table", "account").option("partitions", "3")
            .option("pushDownAggregate", pushDown.toString()).load()
        fun aggregates(data: Dataset<Row>) = data.filter(col("numberofemployees").lt(900).or(col("numberofemployees").isNull()))
            .agg(
                count(lit(1)), count(col("numberofemployees")), sum("numberofemployees"), min("numberofemployees"),
                max("revenue"), avg("revenue"), sum("revenue"),
            )
        val expected = aggregates(frame(emulator.baseUrl, pushDown = false)).collectAsList().single()
        // Every 7th row has no number of employees: the filter's second branch keeps those.
        expected.getLong(0) shouldBe (0 until rows).count { it % 7 == 0 || it % 1000 < 900 }.toLong()
        RecordingProxy(emulator.baseUrl).use { proxy ->
            val pushed = aggregates(frame(proxy.url, pushDown = true))
            pushed.queryExecution().executedPlan().toString() shouldContain "aggregates="
            val actual = pushed.collectAsList().single()
            (0 until 7).forEach { actual.get(it).toString() shouldBe expected.get(it).toString() }
            listings(proxy.requests).shouldBeEmpty()
            val aggregateQueries = fetches(proxy.requests)
            aggregateQueries shouldHaveSize 3
            aggregateQueries.first() shouldContain "aggregate=\"countcolumn\""
            aggregateQueries.first() shouldContain "<condition attribute=\"numberofemployees\" operator=\"lt\" value=\"900\"/>"
        }
    }

    test("a range over more records than one aggregate may evaluate is cut in two, again and again; the result stays exact") {
        val expected = read("account").option("pushDownAggregate", "false").load().agg(count(lit(1)), sum("revenue")).collectAsList().single()
        for (partitionColumn in listOf(null, "numberofemployees")) {
            RecordingProxy(emulator.baseUrl).use { proxy ->
                var reader = read("account", proxy.url).option("partitions", "2").option("aggregateLimit", "400")
                if (partitionColumn != null) {
                    reader = reader.option("partitionColumn", partitionColumn).option("lowerBound", "0").option("upperBound", "1000")
                }
                val actual = reader.load().agg(count(lit(1)), sum("revenue")).collectAsList().single()
                actual.getLong(0) shouldBe rows.toLong()
                actual.getDecimal(1).compareTo(expected.getDecimal(1)) shouldBe 0
                // 2 ranges of about 1,500 refused, their 4 halves of about 750 refused, then about 8 of 375 answered.
                val queries = fetches(proxy.requests).size
                queries shouldBeGreaterThan 2 + 4
                queries shouldBeLessThan 40
                if (partitionColumn == null) listings(proxy.requests).shouldBeEmpty()
                // By number of employees, the 429 rows without one cannot be cut: they are read (ids only), not aggregated.
                if (partitionColumn != null) listings(proxy.requests).size shouldBeGreaterThan 0
            }
        }
    }

    test("a table whose aggregate queries the service refuses (the emulator's synthetic table) is counted from its rows") {
        RecordingProxy(emulator.baseUrl).use { proxy ->
            read("dv_syntheticrow", proxy.url).option("partitions", "2").load().filter(col("dv_number").lt(3_000)).count() shouldBe 3_000L
            fetches(proxy.requests.map { it.replace("dv_syntheticrows", "accounts") }).size shouldBe 2 // one refused per partition
            proxy.requests.count { it.startsWith("GET /api/data/v9.2/dv_syntheticrows?") && !it.contains("fetchXml") } shouldBe 2
        }
    }

    test("Spark UI metrics: requests per scan, and for writes records written, failed rows, 429s and retries") {
        val data = read("account").option("partitions", "2").load().select("name", "accountnumber")
        val shown = uiMetrics { data.collectAsList() shouldHaveSize rows }
        shown["Dataverse requests"] shouldBe 2L // one page of up to 5,000 per partition
        connectorMetrics(data.queryExecution().executedPlan())["dataverseRequests"] shouldBe 2L

        emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, probability = 0.3, methods = setOf("POST"), retryAfterSeconds = 1))
        val copies = spark.range(0, 2_000, 1, 2).toDF("i").select(
            org.apache.spark.sql.functions.concat(lit("copy-"), col("i").cast("string")).alias("name"),
            // Distinct numbers: an earlier spec may have left the accountnumber alternate key on the shared emulator, and
            // rows sharing a key value would (rightly) clash.
            org.apache.spark.sql.functions.`when`(col("i").equalTo(5), lit("x".repeat(200)))
                .otherwise(org.apache.spark.sql.functions.concat(lit("M-"), col("i").cast("string"))).alias("accountnumber"),
        )
        val directory = java.nio.file.Files.createTempDirectory("dataverse-metrics")
        val requestsBefore = emulator.stats.requests
        val written = uiMetrics {
            copies.write().format("dataverse").mode("append").option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN)
                .option("table", "account").option("chunkSize", "200").option("maxAttempts", "30")
                .option("onError", "continue").option("failuresPath", directory.toString()).save()
        }
        emulator.faults().clear()
        written["Dataverse records written"] shouldBe 1_999L
        written["Dataverse failed rows"] shouldBe 1L
        written["Dataverse 429 throttled"]!! shouldBeGreaterThan 0L
        written["Dataverse retries"]!! shouldBeGreaterThan 0L
        // Every request of the write, metadata reads on the driver aside, is counted once.
        written["Dataverse requests"]!! shouldBeGreaterThan 10L
        (written["Dataverse requests"]!! <= emulator.stats.requests - requestsBefore) shouldBe true
    }
})
