package dev.dataverse.benchmarks

import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.atomic.AtomicLong

/**
 * Scenario 1: the SDK's overhead. Single-record get and create through the SDK and through [RawKtorClient], which makes
 * the same HTTP calls by hand, at concurrency 1 and 32, in interleaved rounds. Figure: SDK throughput / raw throughput.
 */
class SdkVsRawScenario : Scenario {
    override val id = "sdk-vs-raw"
    override val title = "1. SDK vs hand-written raw Ktor client"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        val url = context.emulator.baseUrl
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "Both on Ktor CIO with the same engine settings; the SDK with its defaults (retries on, adaptive limiter: " +
            "the emulator's x-ms-dop-hint is 52, so the limiter admits all 32 concurrent calls)."
        Fixtures.sdkClient(url).use { sdk ->
            RawKtorClient(url).use { raw ->
                val ids = Fixtures.seedAccounts(sdk, sizes.seedRecords)
                val created = AtomicLong()
                val before = Fixtures.countAccounts(sdk)
                for (concurrency in listOf(1, 32)) {
                    val target = if (concurrency == 1) 0.85 else 0.90
                    val getVariants = listOf(
                        Variant.suspending("sdk get c=$concurrency", concurrency, sizes) { i ->
                            val id = ids[i % ids.size]
                            sdk.records.get(Fixtures.TABLE, id).id == id
                        },
                        Variant.suspending("raw-ktor get c=$concurrency", concurrency, sizes) { i ->
                            val id = ids[i % ids.size]
                            (raw.get(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                        },
                    )
                    compare(context, result, getVariants, "get c=$concurrency", target)

                    val createVariants = listOf(
                        Variant.suspending("sdk create c=$concurrency", concurrency, sizes) { i ->
                            sdk.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                            created.incrementAndGet() > 0
                        },
                        Variant.suspending("raw-ktor create c=$concurrency", concurrency, sizes) { i ->
                            raw.create(Fixtures.ENTITY_SET, Fixtures.PRIMARY_ID, Fixtures.accountValues(i))
                            created.incrementAndGet() > 0
                        },
                    )
                    compare(context, result, createVariants, "create c=$concurrency", target)
                }
                result.check("accounts created, counted in the emulator", created.get(), Fixtures.countAccounts(sdk) - before)
            }
        }
    }

    private fun compare(context: ScenarioContext, result: ScenarioResult, variants: List<Variant>, workload: String, target: Double) {
        context.log(" $workload")
        val measured = Rounds.interleave(variants, context.sizes.warmupRounds, context.sizes.rounds, context.sizes.roundSeconds, context.log)
        val (sdk, raw) = variants.map { measured.getValue(it.name) }
        variants.forEach { result.variant(it.name, it.concurrency, measured.getValue(it.name)) }
        result.ratio("SDK / raw Ktor throughput, $workload", Rounds.throughputRatios(sdk, raw), target)
        result.cpuTarget("SDK $workload", sdk, raw)
    }
}
