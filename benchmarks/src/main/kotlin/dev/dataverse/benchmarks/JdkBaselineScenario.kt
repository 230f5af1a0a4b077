package dev.dataverse.benchmarks

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.atomic.AtomicLong

/**
 * Scenario 1: the SDK against the bare JDK client. One operation is a create followed by a get of the record created
 * (two calls), through the SDK on its default transport ([HttpEngine.JDK], named explicitly), through the SDK on Ktor
 * CIO, and through [RawJdkClient], which makes the same calls with the same headers by hand — sequentially (also through
 * the blocking facade against the raw client's blocking `send`, what most Java code does) and at 16 and 32 in flight
 * (at 16 also through the `CompletableFuture` facade). Targets, printed met or missed, never asserted: the SDK ≥ 1.0× the
 * raw client's throughput and ≤ 1.0× its client CPU per call, sequentially through the blocking facade (against the raw
 * blocking `send`) and at 16 in flight through the `CompletableFuture` facade and `suspend`; connections opened in a
 * measured round ≤ the concurrency (no connection per call), on both engines. The harness runs this scenario again in a
 * client JVM that sees one CPU; threads started and heap allocated per call are in every variant's row, and the CPU per
 * call of each kind of thread under it. Sequentially the raw client also runs on a direct executor, the configuration the
 * SDK's default transport uses, so that the SDK's own work per call shows apart from the JDK client's hand-offs.
 */
class JdkBaselineScenario : Scenario {
    override val id = "vs-jdk"
    override val title = "1. SDK (default transport, CIO, blocking facade) vs the bare JDK HttpClient"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val url = context.emulator.baseUrl
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "One operation = create an account + get it back (2 calls). SDK with its defaults (retries on, adaptive limiter; " +
            "the emulator's x-ms-dop-hint is 52, so it admits all 32 calls) on httpEngine(JDK) and httpEngine(CIO); raw = RawJdkClient, " +
            "the same calls and headers on a default java.net.http.HttpClient (HTTP/1.1 over http). Connections: the emulator's connectionsAccepted."
        val created = AtomicLong()
        Fixtures.sdkClient(url, HttpEngine.JDK).use { sdk ->
            Fixtures.sdkClient(url, HttpEngine.CIO).use { cio ->
                val raw = RawJdkClient(url)
                val rawDirect = RawJdkClient(url, directExecutor = true)
                val blocking = DataverseBlockingClient.wrap(sdk)
                val async = DataverseAsyncClient.wrap(sdk)
                val before = Fixtures.countAccounts(sdk)
                ThreadPool(1, "blocking-sequential").use { pool ->
                    for (concurrency in listOf(1, 16, 32)) {
                        val variants = mutableListOf(
                            Variant.suspending("sdk-default c=$concurrency", concurrency, context.sizes) { i -> sdkPair(sdk, i, created) },
                            Variant.suspending("sdk-cio c=$concurrency", concurrency, context.sizes) { i -> sdkPair(cio, i, created) },
                            Variant.suspending("raw-jdk c=$concurrency", concurrency, context.sizes) { i ->
                                val id = raw.create(Fixtures.ENTITY_SET, Fixtures.PRIMARY_ID, Fixtures.accountValues(i))
                                created.incrementAndGet()
                                (raw.get(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                            },
                        )
                        if (concurrency == 1) {
                            variants += Variant.blocking(BLOCKING_FACADE, 1, context.sizes, pool) { i ->
                                val id = blocking.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                                created.incrementAndGet()
                                blocking.records.get(Fixtures.TABLE, id).id == id
                            }
                            for ((name, client) in listOf(RAW_BLOCKING to raw, RAW_BLOCKING_DIRECT to rawDirect)) {
                                variants += Variant.blocking(name, 1, context.sizes, pool) { i ->
                                    val id = client.createBlocking(Fixtures.ENTITY_SET, Fixtures.PRIMARY_ID, Fixtures.accountValues(i))
                                    created.incrementAndGet()
                                    (client.getBlocking(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                                }
                            }
                        }
                        if (concurrency == ASYNC_FACADE_CONCURRENCY) {
                            variants += Variant.futures("sdk-default async facade c=$concurrency", concurrency, context.sizes) { i ->
                                async.records.create(Fixtures.TABLE, Fixtures.accountValues(i)).thenCompose { id ->
                                    created.incrementAndGet()
                                    async.records.get(Fixtures.TABLE, id).thenApply { it.id == id }
                                }
                            }
                        }
                        compare(context, result, variants, concurrency)
                    }
                }
                result.check("accounts created, counted in the emulator", created.get(), Fixtures.countAccounts(sdk) - before)
            }
        }
        result.notes += "Per-call figures are per operation of 2 calls (create + get): halve them for one call."
    }

    private suspend fun sdkPair(client: DataverseClient, i: Int, created: AtomicLong): Boolean {
        val id = client.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
        created.incrementAndGet()
        return client.records.get(Fixtures.TABLE, id).id == id
    }

    private fun compare(context: ScenarioContext, result: ScenarioResult, variants: List<Variant>, concurrency: Int) {
        context.log(" create+get c=$concurrency")
        val measured = context.interleave(variants)
        variants.forEach { result.variant(it.name, it.concurrency, measured.getValue(it.name), unit = "create+get") }
        val byName = { name: String -> measured.getValue(name) }
        // The targets: the blocking facade sequentially, the CompletableFuture facade and suspend at 16 in flight.
        val targeted = buildList {
            if (concurrency == 1) add(Triple("blocking facade", BLOCKING_FACADE, RAW_BLOCKING))
            if (concurrency == ASYNC_FACADE_CONCURRENCY) {
                add(Triple("async facade", "sdk-default async facade c=$concurrency", "raw-jdk c=$concurrency"))
                add(Triple("suspend (default transport)", "sdk-default c=$concurrency", "raw-jdk c=$concurrency"))
            }
        }
        for ((label, sdk, raw) in targeted) {
            result.ratio("$label / raw JDK throughput, c=$concurrency", Rounds.throughputRatios(byName(sdk), byName(raw)), THROUGHPUT_TARGET)
            result.ratioAtMost("$label / raw JDK process CPU per call, c=$concurrency", Rounds.cpuRatios(byName(sdk), byName(raw)), CPU_TARGET)
        }
        // Shown without a target; the first names both sides, the other rows are against the raw client on its defaults.
        val shown = buildList {
            // The same JDK client configuration on both sides: what is left is the SDK's own work per call.
            if (concurrency == 1) add(Triple("blocking facade / raw JDK on a direct executor", BLOCKING_FACADE, RAW_BLOCKING_DIRECT))
            if (concurrency != ASYNC_FACADE_CONCURRENCY) add(Triple("suspend (default transport) / raw JDK", "sdk-default c=$concurrency", "raw-jdk c=$concurrency"))
            add(Triple("CIO / raw JDK", "sdk-cio c=$concurrency", "raw-jdk c=$concurrency"))
        }
        for ((label, sdk, raw) in shown) {
            result.ratio("$label throughput, c=$concurrency", Rounds.throughputRatios(byName(sdk), byName(raw)))
            result.ratio("$label process CPU per call, c=$concurrency", Rounds.cpuRatios(byName(sdk), byName(raw)))
        }
        for (variant in variants.filter { it.name.startsWith("sdk-") }) {
            result.connectionTarget(variant.name, measured.getValue(variant.name), variant.concurrency)
        }
    }

    companion object {
        private const val BLOCKING_FACADE = "sdk-default blocking facade c=1"
        private const val RAW_BLOCKING = "raw-jdk blocking send c=1"
        private const val RAW_BLOCKING_DIRECT = "raw-jdk direct executor blocking c=1"

        const val THROUGHPUT_TARGET = 1.0
        const val CPU_TARGET = 1.0

        /** The concurrency at which the `CompletableFuture` facade is measured against the raw client. */
        const val ASYNC_FACADE_CONCURRENCY = 16
    }
}
