package dev.dataverse.benchmarks

import dev.dataverse.BulkOptions
import kotlinx.coroutines.runBlocking

/**
 * Scenario 4: bulk. `createMany` of [Sizes.bulkRecords] records (CreateMultiple, 1000 per request, chunks in parallel)
 * against sequential single creates. The sequential creates run on a sample and are extrapolated to the same number of
 * records — at constant throughput, which is what a sequential loop delivers — and labelled as such. Figure: speed-up.
 */
class BulkScenario : Scenario {
    override val id = "bulk"
    override val title = "4. Bulk createMany vs sequential single creates"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        val records = (0 until sizes.bulkRecords).map { Fixtures.accountValues(it) }
        val options = BulkOptions.DEFAULT
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "createMany with the default BulkOptions (chunks of ${options.chunkSize}, up to ${options.maxParallelism} in flight); " +
            "sequential = one create after the other (concurrency 1), ${sizes.sequentialSample} per round, extrapolated to ${sizes.bulkRecords}."
        Fixtures.sdkClient(context.emulator.baseUrl).use { sdk ->
            val before = Fixtures.countAccounts(sdk)
            val warmupBulk = minOf(sizes.bulkRecords, 10_000)
            val warmupSequential = maxOf(sizes.sequentialSample / 4, 10)
            val sequential = Variant(
                "sequential single creates c=1 (sample)", 1,
                Loads.suspending(1) { i -> sdk.records.create(Fixtures.TABLE, Fixtures.accountValues(i)).let { true } },
                warmupOperations = warmupSequential, operations = sizes.sequentialSample,
            )
            val bulk = Variant(
                "createMany", options.maxParallelism,
                Load { n ->
                    val outcome = runBlocking { sdk.records.createMany(Fixtures.TABLE, records.subList(0, n), options) }
                    check(outcome.size == n) { "createMany reported ${outcome.size} outcomes for $n inputs" }
                    outcome.ids.count { it != null }.toLong().also { check(outcome.succeeded.toLong() == it) }
                },
                warmupOperations = warmupBulk, operations = sizes.bulkRecords,
            )
            context.log(" createMany ${sizes.bulkRecords} vs ${sizes.sequentialSample} sequential creates")
            val measured = Rounds.interleave(listOf(sequential, bulk), warmupRounds = 1, rounds = sizes.bulkRounds, roundSeconds = null, log = context.log)
            val seq = measured.getValue(sequential.name)
            val many = measured.getValue(bulk.name)
            result.variant(sequential.name, 1, seq, "record", "measured on ${sizes.sequentialSample} records per round")
            result.variant(bulk.name, options.maxParallelism, many, "record", "concurrency = chunks in flight")
            result.ratio("createMany / sequential creates throughput (speed-up)", Rounds.throughputRatios(many, seq), 20.0)
            result.figure(
                "sequential creates of ${sizes.bulkRecords} records, EXTRAPOLATED from the sample",
                seq.samples.map { sizes.bulkRecords / it.throughput }, "s",
            )
            result.figure("createMany of ${sizes.bulkRecords} records, measured", many.samples.map { it.wallNanos / 1e9 }, "s")
            val created = (warmupSequential + warmupBulk).toLong() + sizes.bulkRounds.toLong() * (sizes.sequentialSample + sizes.bulkRecords)
            result.check("accounts created, counted in the emulator", created, Fixtures.countAccounts(sdk) - before)
        }
    }
}
