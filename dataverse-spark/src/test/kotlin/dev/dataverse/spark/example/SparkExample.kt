package dev.dataverse.spark.example

import dev.dataverse.AlternateKeySpec
import dev.dataverse.BulkOptions
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.ListOptions
import dev.dataverse.TableSpec
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import kotlinx.coroutines.runBlocking
import org.apache.spark.api.java.function.VoidFunction2
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.concat
import org.apache.spark.sql.functions.count
import org.apache.spark.sql.functions.lit
import org.apache.spark.sql.functions.sum
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicLong

/**
 * The `dataverse` Spark format end to end, in local mode against an emulator embedded in this process, with the figures
 * the README quotes: a partitioned read and a bulk create of 1,000,000 rows (rows/s), an aggregate computed by the
 * service against the same aggregate computed by Spark (requests), an upsert by alternate key, and the lag of the
 * change stream after a burst of 10,000 changes. Run from the repository root (about 10 minutes on 2 cores):
 *
 * ```
 * ./mvnw -q test-compile exec:exec -pl dataverse-spark -am
 * ./mvnw -q test-compile exec:exec -pl dataverse-spark -am -Dexample.rows=200000     # a shorter run
 * ```
 * Against a real environment, replace `url` and `token` (or use `clientId`/`clientSecret`/`tenantId`).
 */
fun main(args: Array<String>) {
    val rows = args.firstOrNull()?.toLong() ?: 1_000_000L
    val burst = 10_000
    DataverseEmulator.start(EmulatorOptions(syntheticRows = rows)).use { emulator ->
        val client = DataverseClient.builder().environmentUrl(emulator.baseUrl).token(TOKEN).build()
        perRequest(emulator, client)
        val spark = SparkSession.builder().master("local[4]").appName("dataverse-spark-example")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate()
        spark.sparkContext().setLogLevel("WARN")
        try {
            fun source(table: String) = spark.read().format("dataverse").option("url", emulator.baseUrl).option("token", TOKEN).option("table", table)
            fun sink(data: Dataset<Row>, table: String) = data.write().format("dataverse").mode("append")
                .option("url", emulator.baseUrl).option("token", TOKEN).option("table", table)

            // 1. Read: the synthetic table in 8 ranges of dv_number, each partition paging lazily; two columns selected.
            var requests = emulator.stats.requests
            var started = System.nanoTime()
            source("dv_syntheticrow")
                .option("partitions", "8").option("partitionColumn", "dv_number").option("lowerBound", "0").option("upperBound", "$rows")
                .load().select("dv_name", "dv_amount")
                .write().format("noop").mode("overwrite").save() // every row read and converted, then dropped
            report("read", rows, started, emulator.stats.requests - requests, concurrency = 8)

            // 2. Create: as many rows into a table of two columns, 1,000 per CreateMultiple, at most 8 requests in flight.
            runBlocking {
                client.tables.create(
                    TableSpec("dv_Load", "Load", columns = listOf(ColumnSpec.integer("dv_Number", "Number"), ColumnSpec.string("dv_Code", "Code"))),
                )
            }
            val load = spark.range(0, rows, 1, 8).select(
                concat(lit("Row "), col("id").cast("string")).alias("dv_name"),
                (col("id").mod(1000)).cast("int").alias("dv_number"),
                concat(lit("C-"), col("id").cast("string")).alias("dv_code"),
            )
            requests = emulator.stats.requests
            started = System.nanoTime()
            sink(load, "dv_load").option("maxConcurrency", "8").option("chunkSize", "1000").save()
            report("create", rows, started, emulator.stats.requests - requests, concurrency = 8)

            // 3. count(*) and sum(dv_number) of the written rows: by the service (FetchXML aggregates per partition, cut
            //    in two while a range holds more than the 50,000 records an aggregate may evaluate), then by Spark.
            for (pushDown in listOf(true, false)) {
                requests = emulator.stats.requests
                started = System.nanoTime()
                val result = source("dv_load").option("partitions", "8").option("pushDownAggregate", "$pushDown").load()
                    .agg(count(lit(1)), sum("dv_number")).collectAsList().single()
                println(
                    String.format(
                        "count and sum %-20s %,d rows, sum %,d in %6.2f s with %,5d requests",
                        if (pushDown) "by the service:" else "by Spark (pages):", result.getLong(0), result.getLong(1),
                        (System.nanoTime() - started) / 1e9, emulator.stats.requests - requests,
                    ),
                )
            }

            // 4. Upsert by alternate key: renames 10,000 rows found by their code. A fresh org has no alternate key: create
            //    it through the tables API, as a user would, and wait until its index is active.
            runBlocking {
                client.tables.createKey("dv_load", AlternateKeySpec("dv_CodeKey", listOf("dv_code")))
                client.tables.awaitKey("dv_load", "dv_CodeKey")
            }
            requests = emulator.stats.requests
            started = System.nanoTime()
            sink(load.limit(10_000).withColumn("dv_name", concat(lit("Renamed "), col("dv_code"))), "dv_load")
                .option("operation", "upsert").option("alternateKey", "dv_code").option("maxConcurrency", "8").save()
            report("upsert", 10_000, started, emulator.stats.requests - requests, concurrency = 8)

            // 5. The change stream's lag: a query on account (change tracking on), then a burst of 10,000 creates; the lag is
            //    the time from the end of the burst until the stream has delivered all of them.
            streamLag(spark, emulator, client, burst)
        } finally {
            spark.stop()
            client.close()
        }
    }
}

/** Counts the rows of the change stream's micro-batches. */
class CountingSink : VoidFunction2<Dataset<Row>, Long> {
    override fun call(batch: Dataset<Row>, batchId: Long) {
        delivered.addAndGet(batch.count())
    }

    companion object {
        val delivered = AtomicLong()
    }
}

private fun streamLag(spark: SparkSession, emulator: DataverseEmulator, client: DataverseClient, burst: Int) {
    val query = spark.readStream().format("dataverse").option("url", emulator.baseUrl).option("token", TOKEN).option("table", "account")
        .option("select", "name").load()
        .writeStream().foreachBatch(CountingSink()).option("checkpointLocation", Files.createTempDirectory("dataverse-stream").toString()).start()
    try {
        query.processAllAvailable()
        val requests = emulator.stats.requests
        val writeStarted = System.nanoTime()
        runBlocking { client.records.createMany("account", List(burst) { mapOf("name" to "Burst $it") }, BulkOptions(chunkSize = 1000)) }
        val written = System.nanoTime()
        while (CountingSink.delivered.get() < burst) Thread.sleep(10)
        val delivered = System.nanoTime()
        println(
            String.format(
                "stream: %,d changes written in %.2f s; delivered %.2f s after the last write (pollIntervalMs 1000, %,d requests during)",
                burst, (written - writeStarted) / 1e9, (delivered - written) / 1e9, emulator.stats.requests - requests,
            ),
        )
    } finally {
        query.stop()
    }
}

/**
 * The time of one request, one at a time, through the plain client: a page of 5,000 records, and a `CreateMultiple` of
 * 1,000. On a real environment these are the figures to measure first (the service's time replaces the emulator's).
 */
private fun perRequest(emulator: DataverseEmulator, client: DataverseClient) {
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

private const val TOKEN = "example-token"
