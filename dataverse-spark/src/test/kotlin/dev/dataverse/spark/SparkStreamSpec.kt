package dev.dataverse.spark

import dev.dataverse.BulkOptions
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.DeltaTokenExpiredException
import dev.dataverse.InvalidInputException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.flow.toList
import org.apache.spark.api.java.function.VoidFunction2
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.streaming.StreamingQuery
import org.apache.spark.sql.streaming.StreamingQueryException
import java.nio.file.Files
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.Collections
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/** A clock a test moves forward, for the emulator's change-tracking retention. */
class MovableClock : Clock() {
    val offset = AtomicLong()

    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
    override fun instant(): Instant = Instant.now().plusMillis(offset.get())
}

/** The rows of each micro-batch a query delivered, by batch id: a batch that runs again replaces its rows. */
class CollectingSink : VoidFunction2<Dataset<Row>, Long> {
    override fun call(batch: Dataset<Row>, batchId: Long) {
        failOnce.remove(batchId)?.let { throw IllegalStateException("injected failure of micro-batch $batchId") }
        batches[batchId] = batch.collectAsList().map { row -> row.getAs<String>("accountid") to Triple(row.getAs<String>("name"), row.getAs<Boolean>("_deleted"), row.getAs<Int?>("numberofemployees")) }
    }

    companion object {
        val batches: MutableMap<Long, List<Pair<String, Triple<String?, Boolean, Int?>>>> = ConcurrentHashMap()
        val failOnce: MutableMap<Long, Boolean> = Collections.synchronizedMap(HashMap())
    }
}

/** The change stream (`readStream.format("dataverse")`) against an emulator whose clock the tests move. */
class SparkStreamSpec : FunSpec({
    val clock = MovableClock()
    val emulator = DataverseEmulator.start(EmulatorOptions.builder().clock(clock).keyActivationDelayMillis(0).build())
    val client = DataverseClient.builder().environmentUrl(emulator.baseUrl).token(SparkTestSupport.TOKEN)
        .retry(RetryOptions.builder().maxAttempts(20).baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(20)).build()).build()
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest {
        emulator.reset()
        CollectingSink.batches.clear()
        CollectingSink.failOnce.clear()
    }

    fun stream() = spark.readStream().format("dataverse").option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN)
        .option("table", "account").option("select", "name,numberofemployees").option("pollIntervalMs", "0")

    fun start(frame: Dataset<Row>, checkpoint: java.nio.file.Path): StreamingQuery =
        frame.writeStream().foreachBatch(CollectingSink()).option("checkpointLocation", checkpoint.toString()).start()

    fun delivered() = CollectingSink.batches.toSortedMap().values.flatten()

    suspend fun createAccounts(count: Int, from: Int = 0): List<UUID> =
        client.records.createMany("account", (from until from + count).map { mapOf("name" to "Account $it", "numberofemployees" to it) }).ids.map { it!! }

    test("a stopped query resumes from its checkpoint: the writes made while it was down come once, deletions flagged") {
        val ids = createAccounts(50)
        val checkpoint = Files.createTempDirectory("dataverse-stream")
        var query = start(stream().load(), checkpoint)
        query.processAllAvailable()
        query.stop()
        delivered().map { it.first } shouldContainExactlyInAnyOrder ids.map { it.toString() }
        delivered().all { !it.second.second } shouldBe true

        // While the query is down: 5 updates, 3 deletions, 7 creations.
        client.records.updateMany("account", ids.take(5).map { RecordChange(RecordKey.id(it), mapOf("name" to "Renamed $it")) })
        client.records.deleteMany("account", ids.drop(10).take(3).map { RecordKey.id(it) })
        val created = createAccounts(7, from = 100)
        val before = delivered().size

        query = start(stream().load(), checkpoint)
        query.processAllAvailable()
        query.stop()
        val after = delivered().drop(before)
        after.size shouldBe 15
        after.filter { it.second.first?.startsWith("Renamed") == true }.map { it.first } shouldContainExactlyInAnyOrder ids.take(5).map { it.toString() }
        after.filter { it.second.second }.map { it.first } shouldContainExactlyInAnyOrder ids.drop(10).take(3).map { it.toString() }
        after.filter { it.second.second }.all { it.second.first == null } shouldBe true
        after.filter { it.second.first?.startsWith("Account 1") == true && !it.second.second }.map { it.first } shouldContainExactlyInAnyOrder created.map { it.toString() }
    }

    test("a batch that fails runs again with the same changes after a restart, whatever was written meanwhile; pages and a row limit bound each batch") {
        createAccounts(2_000)
        val checkpoint = Files.createTempDirectory("dataverse-stream")
        fun limited() = stream().option("pageSize", "300").option("maxChangesPerTrigger", "700").load()
        CollectingSink.failOnce[1L] = true // the second micro-batch fails once
        val failed = start(limited(), checkpoint)
        shouldThrow<StreamingQueryException> { failed.awaitTermination() }
        val first = CollectingSink.batches.getValue(0L)
        first.size shouldBe 900 // 3 pages of 300: the page that reaches 700
        val planned = Files.walk(checkpoint).filter { it.toString().contains("dataverse-changes/2") }.toList()
        planned.size shouldBeGreaterThan 0 // batch 1's changes (offset 2) wait in the checkpoint

        // Written while the query is down: they belong after the batch that failed, not in it.
        client.records.updateMany("account", listOf(RecordChange(RecordKey.id(UUID.fromString(first.first().first)), mapOf("name" to "Late"))))
        val late = createAccounts(5, from = 5_000)

        val query = start(limited(), checkpoint)
        query.processAllAvailable()
        query.stop()
        CollectingSink.batches.getValue(1L).size shouldBe 900
        CollectingSink.batches.values.forEach { it.size shouldBeLessThanOrEqual 900 }
        val rows = delivered()
        rows.size shouldBe 2_000 + 6
        rows.map { it.first }.distinct().size shouldBe 2_000 + 5
        rows.last { it.second.first == "Late" }.first shouldBe first.first().first
        rows.takeLast(6).map { it.first } shouldContainExactlyInAnyOrder late.map { it.toString() } + first.first().first
        // The checkpoint keeps the changes of the last batches only (Spark commits a batch's offsets to the source when it
        // plans the next one, and asks again for the last committed batch after a restart).
        val kept = Files.list(checkpoint.resolve("sources/0/dataverse-changes")).toList().mapNotNull { it.fileName.toString().toLongOrNull() }
        kept.size shouldBeLessThanOrEqual 2
        kept.min() shouldBeGreaterThan kept.max() - 2
    }

    test("throttling is waited out; startFrom now skips the existing records; the progress shows requests, 429s and changes") {
        createAccounts(30)
        val checkpoint = Files.createTempDirectory("dataverse-stream")
        val query = start(stream().option("startFrom", "now").load(), checkpoint)
        query.processAllAvailable()
        delivered().shouldBeEmpty()
        // Every read throttled (Retry-After: 1 s) until two were: the source's client waits them out and reads on.
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, probability = 1.0, methods = setOf("GET"), retryAfterSeconds = 1))
        val created = createAccounts(40, from = 1_000)
        while (emulator.stats.faultsInjected(FaultKind.THROTTLE_REQUESTS) < 2) Thread.sleep(50)
        emulator.faults().clear()
        query.processAllAvailable()
        query.stop()
        delivered().map { it.first } shouldContainExactlyInAnyOrder created.map { it.toString() }
        // Counts since the query started, as of the last progress (the listing that found where "now" is included).
        val metrics = query.lastProgress().sources().single().metrics()
        metrics.getValue("changesRead").toLong() shouldBe 40L
        // Every 429 the emulator sent went to the stream's reads, and each was retried.
        metrics.getValue("throttled").toLong() shouldBe emulator.stats.faultsInjected(FaultKind.THROTTLE_REQUESTS)
        metrics.getValue("retries").toLong() shouldBe metrics.getValue("throttled").toLong()
        metrics.getValue("requests").toLong() shouldBeGreaterThan 2L
    }

    test("an expired delta token fails the query with the resync path; tables without change tracking and filters are refused") {
        createAccounts(3)
        val checkpoint = Files.createTempDirectory("dataverse-stream")
        var query = start(stream().load(), checkpoint)
        query.processAllAvailable()
        query.stop()
        clock.offset.addAndGet(Duration.ofDays(8).toMillis()) // the service keeps changes for 7 days
        try {
            query = start(stream().load(), checkpoint)
            val failure = shouldThrow<StreamingQueryException> { query.processAllAvailable() }
            val cause = generateSequence(failure as Throwable) { it.cause }.firstOrNull { it is DataverseException && it.message!!.contains("Resynchronise") }
            cause.shouldNotBeNull().cause.shouldBeInstanceOf<DeltaTokenExpiredException>()
            cause.message!! shouldContain "new checkpoint location"
        } finally {
            clock.offset.set(0)
        }

        runCatching { client.tables.delete("dv_untracked") }
        client.tables.create(dev.dataverse.TableSpec("dv_Untracked", "Untracked"))
        shouldThrow<InvalidInputException> {
            spark.readStream().format("dataverse").option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN).option("table", "dv_untracked").load()
        }.message shouldContain "does not track changes"
        shouldThrow<InvalidInputException> { stream().option("filter", "statecode eq 0").load() }.message shouldContain "no \$filter"
    }
})
