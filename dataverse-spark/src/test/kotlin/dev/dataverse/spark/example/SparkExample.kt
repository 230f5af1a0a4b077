package dev.dataverse.spark.example

import dev.dataverse.AlternateKeySpec
import dev.dataverse.BulkOptions
import dev.dataverse.DataverseClient
import dev.dataverse.ListOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.concat
import org.apache.spark.sql.functions.lit
import kotlinx.coroutines.runBlocking

/**
 * The `dataverse` Spark format end to end, in local mode against an emulator embedded in this process: a partitioned
 * read with pushdown, a bulk create, an upsert by alternate key. It prints the throughput it measured, the figures the
 * README's migration plan is computed from. Run from the repository root:
 *
 * ```
 * ./mvnw -q test-compile exec:exec -pl dataverse-spark -am
 * ```
 * Against a real environment, replace `url` and `token` (or use `clientId`/`clientSecret`/`tenantId`).
 */
fun main() {
    val readRows = 200_000L
    val writeRows = 50_000L
    DataverseEmulator.start(EmulatorOptions(syntheticRows = readRows)).use { emulator ->
        perRequest(emulator)
        val spark = SparkSession.builder().master("local[4]").appName("dataverse-spark-example")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate()
        spark.sparkContext().setLogLevel("WARN")
        try {
            fun source(table: String) = spark.read().format("dataverse")
                .option("url", emulator.baseUrl).option("token", "example-token").option("table", table)

            // 1. Read: 8 ranges of dv_number, each partition paging lazily; only dv_name and dv_amount are selected.
            var requests = emulator.stats.requests
            var started = System.nanoTime()
            val read = source("dv_syntheticrow")
                .option("partitions", "8").option("partitionColumn", "dv_number").option("lowerBound", "0").option("upperBound", "$readRows")
                .load()
                .select("dv_name", "dv_amount")
                .count()
            report("read", read, started, emulator.stats.requests - requests, concurrency = 8)

            // 2. Create: 50,000 accounts through CreateMultiple, 1,000 per request, at most 8 requests in flight job-wide.
            val accounts = spark.range(0, writeRows, 1, 4).select(
                concat(lit("Account "), col("id").cast("string")).alias("name"),
                concat(lit("A-"), col("id").cast("string")).alias("accountnumber"),
                col("id").mod(500).cast("int").alias("numberofemployees"),
            )
            requests = emulator.stats.requests
            started = System.nanoTime()
            accounts.write().format("dataverse").mode("append")
                .option("url", emulator.baseUrl).option("token", "example-token").option("table", "account")
                .option("maxConcurrency", "8").option("chunkSize", "1000")
                .save()
            report("create", writeRows, started, emulator.stats.requests - requests, concurrency = 8)

            // 3. Upsert by alternate key: renames the first 10,000, found by accountnumber. A fresh org has no alternate
            //    key: create it through the tables API, as a user would, and wait until its index is active.
            DataverseClient.builder().environmentUrl(emulator.baseUrl).token("example-token").build().use { client ->
                runBlocking {
                    client.tables.createKey("account", AlternateKeySpec("new_AccountNumberKey", listOf("accountnumber")))
                    client.tables.awaitKey("account", "new_AccountNumberKey")
                }
            }
            requests = emulator.stats.requests
            started = System.nanoTime()
            accounts.limit(10_000).withColumn("name", concat(lit("Renamed "), col("accountnumber")))
                .write().format("dataverse").mode("append")
                .option("url", emulator.baseUrl).option("token", "example-token").option("table", "account")
                .option("operation", "upsert").option("alternateKey", "accountnumber").option("maxConcurrency", "8")
                .save()
            report("upsert", 10_000, started, emulator.stats.requests - requests, concurrency = 8)

            // 4. Read back with a filter the service evaluates (numberofemployees) and one Spark evaluates again (name).
            val renamed = source("account").load()
                .filter(col("numberofemployees").lt(10).and(col("name").startsWith("Renamed")))
                .count()
            println("accounts: ${emulator.recordCount("account")} in the table, $renamed renamed with fewer than 10 employees")
        } finally {
            spark.stop()
        }
    }
}

/**
 * The time of one request, one at a time, through the plain client: a page of 5,000 records, and a `CreateMultiple` of
 * 1,000. On a real environment these are the figures to measure first (the service's time replaces the emulator's).
 */
private fun perRequest(emulator: DataverseEmulator) {
    DataverseClient.builder().environmentUrl(emulator.baseUrl).token("example-token").build().use { client ->
        runBlocking {
            client.records.page("dv_syntheticrow", ListOptions(pageSize = 5000)) // warm-up: metadata, connection, JIT
            val pages = 10
            var started = System.nanoTime()
            var token: String? = null
            repeat(pages) { token = client.records.page("dv_syntheticrow", ListOptions(pageSize = 5000), token).continuationToken }
            println(String.format("page of 5,000 records:        %6.1f ms per request", (System.nanoTime() - started) / 1e6 / pages))
            val chunks = 10
            val records = List(1000 * (chunks + 1)) { mapOf("name" to "Probe $it", "numberofemployees" to it % 500) }
            client.records.createMany("account", records.take(1000), BulkOptions(maxParallelism = 1)) // warm-up
            started = System.nanoTime()
            client.records.createMany("account", records.drop(1000), BulkOptions(chunkSize = 1000, maxParallelism = 1))
            println(String.format("CreateMultiple of 1,000:      %6.1f ms per request", (System.nanoTime() - started) / 1e6 / chunks))
        }
    }
    emulator.reset()
}

private fun report(what: String, rows: Long, startedNanos: Long, requests: Long, concurrency: Int) {
    val seconds = (System.nanoTime() - startedNanos) / 1e9
    println(
        String.format(
            "%-6s %,9d rows in %6.2f s = %,8.0f rows/s through Spark (planning included); %,5d requests, at most %d in flight",
            what, rows, seconds, rows / seconds, requests, concurrency,
        ),
    )
}
