package dev.dataverse.benchmarks

import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import java.util.concurrent.atomic.AtomicLong

/**
 * Scenario 3: the Java facades' overhead. The same gets (and creates at concurrency 32) through Kotlin `suspend`
 * functions, the blocking facade (platform threads, one call each at a time) and the `CompletableFuture` facade (chains
 * of futures), all over one core client. Figure: facade throughput / suspend throughput.
 */
class FacadesScenario : Scenario {
    override val id = "facades"
    override val title = "3. Java facades (blocking, CompletableFuture) vs Kotlin suspend"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "One core client (default transport, named: httpEngine(JDK)) shared by the three: DataverseBlockingClient.wrap / DataverseAsyncClient.wrap, " +
            "the same objects DataverseClientBuilder.buildClient()/buildAsyncClient() return. Blocking: N platform threads; " +
            "futures: N chains, each call started when the previous one completes; suspend: N coroutines on Dispatchers.Default."
        val core = Fixtures.sdkClient(context.emulator.baseUrl)
        val blocking = DataverseBlockingClient.wrap(core)
        val async = DataverseAsyncClient.wrap(core)
        ThreadPool(32, "blocking-facade").use { pool ->
            try {
                val ids = Fixtures.seedAccounts(core, sizes.seedRecords)
                val created = AtomicLong()
                val before = Fixtures.countAccounts(core)
                for (concurrency in listOf(1, 32)) {
                    val gets = listOf(
                        Variant.suspending("suspend get c=$concurrency", concurrency, sizes) { i ->
                            val id = ids[i % ids.size]
                            core.records.get(Fixtures.TABLE, id).id == id
                        },
                        Variant.blocking("blocking get c=$concurrency", concurrency, sizes, pool) { i ->
                            val id = ids[i % ids.size]
                            blocking.records.get(Fixtures.TABLE, id).id == id
                        },
                        Variant.futures("future get c=$concurrency", concurrency, sizes) { i ->
                            val id = ids[i % ids.size]
                            async.records.get(Fixtures.TABLE, id).thenApply { it.id == id }
                        },
                    )
                    compare(context, result, gets, "get c=$concurrency")
                }
                val creates = listOf(
                    Variant.suspending("suspend create c=32", 32, sizes) { i ->
                        core.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                        created.incrementAndGet() > 0
                    },
                    Variant.blocking("blocking create c=32", 32, sizes, pool) { i ->
                        blocking.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                        created.incrementAndGet() > 0
                    },
                    Variant.futures("future create c=32", 32, sizes) { i ->
                        async.records.create(Fixtures.TABLE, Fixtures.accountValues(i)).thenApply { created.incrementAndGet(); true }
                    },
                )
                compare(context, result, creates, "create c=32")
                result.check("accounts created, counted in the emulator", created.get(), Fixtures.countAccounts(core) - before)
            } finally {
                core.close()
            }
        }
    }

    private fun compare(context: ScenarioContext, result: ScenarioResult, variants: List<Variant>, workload: String) {
        context.log(" $workload")
        val measured = context.interleave(variants)
        val (suspending, blocking, future) = variants.map { measured.getValue(it.name) }
        variants.forEach { result.variant(it.name, it.concurrency, measured.getValue(it.name)) }
        result.ratio("blocking facade / suspend throughput, $workload", Rounds.throughputRatios(blocking, suspending), 0.95)
        result.ratio("CompletableFuture facade / suspend throughput, $workload", Rounds.throughputRatios(future, suspending), 0.95)
    }
}
