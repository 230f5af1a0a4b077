package dev.dataverse.benchmarks

import dev.dataverse.HttpEngine
import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.atomic.AtomicLong

/**
 * Scenario 2: HTTP engines. The same SDK workload on Ktor CIO and on Ktor's Java engine (JDK HttpClient), against a
 * hand-written client straight on the JDK HttpClient ([RawJdkClient]). Figures: JDK engine / CIO, and each / raw JDK.
 */
class EnginesScenario : Scenario {
    override val id = "engines"
    override val title = "2. HTTP engines: Ktor CIO vs Ktor Java (JDK HttpClient) vs raw JDK HttpClient"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        val url = context.emulator.baseUrl
        result.setup += ScenarioResult.EMULATOR_APART
        result.setup += "SDK with defaults except httpEngine(CIO | JDK); the JDK engine speaks HTTP/1.1 over plain http, as does the raw JDK client."
        Fixtures.sdkClient(url, HttpEngine.CIO).use { cio ->
            Fixtures.sdkClient(url, HttpEngine.JDK).use { jdk ->
                RawJdkClient(url).use { raw ->
                    val ids = Fixtures.seedAccounts(cio, sizes.seedRecords)
                    val created = AtomicLong()
                    val before = Fixtures.countAccounts(cio)
                    for (concurrency in listOf(1, 32)) {
                        val gets = listOf(
                            Variant.suspending("sdk-cio get c=$concurrency", concurrency, sizes) { i ->
                                val id = ids[i % ids.size]
                                cio.records.get(Fixtures.TABLE, id).id == id
                            },
                            Variant.suspending("sdk-jdk get c=$concurrency", concurrency, sizes) { i ->
                                val id = ids[i % ids.size]
                                jdk.records.get(Fixtures.TABLE, id).id == id
                            },
                            Variant.suspending("raw-jdk get c=$concurrency", concurrency, sizes) { i ->
                                val id = ids[i % ids.size]
                                (raw.get(Fixtures.ENTITY_SET, id)[Fixtures.PRIMARY_ID] as JsonPrimitive).content == id.toString()
                            },
                        )
                        compare(context, result, gets, "get c=$concurrency")
                    }
                    // Writes at concurrency 32: request bodies and the other direction of the engine.
                    val creates32 = listOf(
                        Variant.suspending("sdk-cio create c=32", 32, sizes) { i ->
                            cio.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                            created.incrementAndGet() > 0
                        },
                        Variant.suspending("sdk-jdk create c=32", 32, sizes) { i ->
                            jdk.records.create(Fixtures.TABLE, Fixtures.accountValues(i))
                            created.incrementAndGet() > 0
                        },
                        Variant.suspending("raw-jdk create c=32", 32, sizes) { i ->
                            raw.create(Fixtures.ENTITY_SET, Fixtures.PRIMARY_ID, Fixtures.accountValues(i))
                            created.incrementAndGet() > 0
                        },
                    )
                    compare(context, result, creates32, "create c=32")
                    result.check("accounts created, counted in the emulator", created.get(), Fixtures.countAccounts(cio) - before)
                }
            }
        }
    }

    private fun compare(context: ScenarioContext, result: ScenarioResult, variants: List<Variant>, workload: String) {
        context.log(" $workload")
        val measured = Rounds.interleave(variants, context.sizes.warmupRounds, context.sizes.rounds, context.sizes.roundSeconds, context.log)
        val (cio, jdk, raw) = variants.map { measured.getValue(it.name) }
        variants.forEach { result.variant(it.name, it.concurrency, measured.getValue(it.name)) }
        result.ratio("SDK JDK engine / SDK CIO throughput, $workload", Rounds.throughputRatios(jdk, cio))
        result.ratio("SDK CIO / raw JDK HttpClient throughput, $workload", Rounds.throughputRatios(cio, raw))
        result.ratio("SDK JDK engine / raw JDK HttpClient throughput, $workload", Rounds.throughputRatios(jdk, raw))
    }
}
