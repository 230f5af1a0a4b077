package dev.dataverse.benchmarks

import dev.dataverse.BulkOptions
import dev.dataverse.emulator.ServiceProtectionLimits
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * Scenario 6: a load of [Sizes.protectionRecords] records (`createMany`, [Sizes.protectionChunk] records per
 * `CreateMultiple`) against an emulator that enforces the service-protection limits of Microsoft Learn's "Service
 * protection API limits" page (learn.microsoft.com/power-apps/developer/data-platform/api-limits): per user, 6,000
 * requests and 20 minutes of execution time in a 5-minute sliding window, 52 concurrent requests, 429 with
 * `Retry-After`. The emulator runs them at a time scale ([Sizes.protectionTimeScale]) that shrinks the window and its
 * budgets alike, so the sustained rates are the service's while a run lasts minutes, not hours.
 *
 * The load runs with one application user, then with three (each a client with a token of its own, the load split
 * evenly). The figure is the fraction of the ceiling the limits allow: no client can finish sooner than
 * `(ceil(requests per user / requests per window) - 1) × window` — it may send one window's worth at once, and each
 * further window's worth one window later — so the fraction is that time over the measured one (1.0 = the limits
 * alone held the load back). The execution-time and concurrency limits do not bind here (small requests, at most the
 * `x-ms-dop-hint` in flight); the emulator would refuse with their own codes if they did.
 *
 * The same load also runs against the scenario context's emulator, which enforces no limits: the time the machine
 * itself needs (T). When a window's worth takes this machine a good part of the window, the limits' ceiling is out of
 * reach for any client, so a second fraction compares with the combined bound: the last window's requests cannot start
 * before `(ceil(requests per user / requests per window) - 1) × window` and take at least their share of T, and the whole
 * load takes at least T. On a machine shared with other work T is noisy, and so is that second fraction.
 */
class ServiceProtectionScenario : Scenario {
    override val id = "service-protection"
    override val title = "6. A ${"%,d".format(Sizes.FULL.protectionRecords)}-record load against the service-protection limits, 1 and 3 application users"

    override fun run(context: ScenarioContext, result: ScenarioResult) {
        val sizes = context.sizes
        val limits = ServiceProtectionLimits(timeScale = sizes.protectionTimeScale)
        val windowSeconds = limits.scaledWindow.toMillis() / 1000.0
        val perWindow = limits.scaledRequestsPerWindow
        val options = BulkOptions(chunkSize = sizes.protectionChunk)
        result.setup += "Emulator in its own JVM with --service-protection ${sizes.protectionTimeScale} --dop-hint $DOP_HINT: per user (bearer token), " +
            "$perWindow requests and ${limits.scaledExecutionTimePerWindow.toSeconds()} s of execution time per ${windowSeconds.format()} s sliding window " +
            "(Learn's 6,000 requests and 20 minutes per 5 minutes, time running ${sizes.protectionTimeScale}× faster), ${limits.concurrentRequests} concurrent requests."
        result.setup += "createMany of ${sizes.protectionRecords} records, ${options.chunkSize} per CreateMultiple (BulkOptions defaults otherwise: " +
            "up to ${options.maxParallelism} in flight per client, retries honouring Retry-After); U users = U clients with their own tokens, the load split evenly, run at once."
        result.setup += "Ceiling: (ceil(requests per user / $perWindow) - 1) × ${windowSeconds.format()} s, the soonest the request limit lets the load finish; fraction = ceiling time / measured time."
        EmulatorProcess.start(listOf("--service-protection", sizes.protectionTimeScale.toString(), "--dop-hint", DOP_HINT.toString()), pinning = context.pinning).use { emulator ->
            context.log("  started $emulator with the service-protection limits at time scale ${sizes.protectionTimeScale}")
            for (users in USERS) {
                val unlimitedSeconds = unlimitedRun(context, users, options)
                context.log("  $users user(s) without limits: ${"%.1f".format(unlimitedSeconds)} s")
                emulator.reset()
                val shares = (0 until users).map { user -> (user until sizes.protectionRecords step users).map { Fixtures.accountValues(it) } }
                val requestsPerUser = shares.map { (it.size + options.chunkSize - 1) / options.chunkSize }
                val idealSeconds = requestsPerUser.maxOf { requests -> ((requests + perWindow - 1) / perWindow - 1) * windowSeconds }
                // The share of each user's requests sent in its last window, which no client can send before that window opens.
                val lastShare = requestsPerUser.maxOf { requests -> (requests - ((requests + perWindow - 1) / perWindow - 1) * perWindow).toDouble() / requests }
                val clients = (1..users).map { Fixtures.sdkClient(emulator.baseUrl, token = "benchmark-user-$it") }
                try {
                    context.log("  $users user(s): ${sizes.protectionRecords} records, ${requestsPerUser.sum()} requests; the limits allow it in ${idealSeconds.format()} s at best")
                    val cpuBefore = ProcessCpu.nanos()
                    val threadsBefore = ThreadCpu.snapshot()
                    val started = System.nanoTime()
                    val created = runBlocking(Dispatchers.Default) {
                        clients.zip(shares).map { (client, share) ->
                            async { client.records.createMany(Fixtures.TABLE, share, options).succeeded.toLong() }
                        }.awaitAll().sum()
                    }
                    val wall = System.nanoTime() - started
                    val sample = RoundSample(created, wall, ProcessCpu.nanos() - cpuBefore, ThreadCpu.since(threadsBefore))
                    val refusals = emulator.stat("serviceProtectionRefusals")
                    val seconds = wall / 1e9
                    context.log("  $users user(s): ${"%.1f".format(seconds)} s, ${"%,.0f".format(sample.throughput)} records/s, $refusals requests refused with 429")
                    result.variant("createMany, $users application user(s)", users * options.maxParallelism, Measurement(listOf(sample)), "record",
                        "$refusals requests refused with 429 by the limits")
                    result.figure("records/s, $users user(s)", listOf(sample.throughput), "records/s")
                    if (idealSeconds > 0) {
                        result.figure(
                            "fraction of the ceiling the limits allow, $users user(s) (${idealSeconds.format()} s at best, ${"%.1f".format(seconds)} s measured)",
                            listOf(100 * idealSeconds / seconds), "%", "≥ 90 %", idealSeconds / seconds >= 0.9,
                        )
                    } else {
                        result.notes += "With $users user(s) every user's requests fit in one window: the request limit does not bind, there is no ceiling to compare with."
                    }
                    result.figure("the same load without limits (the machine's own time), $users user(s)", listOf(unlimitedSeconds), "s")
                    val bound = maxOf(unlimitedSeconds, idealSeconds + lastShare * unlimitedSeconds)
                    result.figure(
                        "fraction of the combined bound (limits and this machine: ${"%.1f".format(bound)} s), $users user(s)",
                        listOf(100 * bound / seconds), "%",
                    )
                    result.check("records created with $users user(s), reported by createMany", sizes.protectionRecords.toLong(), created)
                    val counter = Fixtures.sdkClient(emulator.baseUrl, token = "benchmark-counter")
                    counter.use { result.check("accounts in the emulator after the load with $users user(s)", sizes.protectionRecords.toLong(), Fixtures.countAccounts(it)) }
                } finally {
                    clients.forEach { it.close() }
                }
            }
        }
    }

    /** Runs the same load on the scenario context's emulator, which enforces no limits; returns its seconds. */
    private fun unlimitedRun(context: ScenarioContext, users: Int, options: BulkOptions): Double {
        context.emulator.reset()
        val records = context.sizes.protectionRecords
        val shares = (0 until users).map { user -> (user until records step users).map { Fixtures.accountValues(it) } }
        val clients = (1..users).map { Fixtures.sdkClient(context.emulator.baseUrl, token = "benchmark-user-$it") }
        try {
            val started = System.nanoTime()
            val created = runBlocking(Dispatchers.Default) {
                clients.zip(shares).map { (client, share) ->
                    async { client.records.createMany(Fixtures.TABLE, share, options).succeeded.toLong() }
                }.awaitAll().sum()
            }
            check(created == records.toLong()) { "the load without limits created $created of $records records" }
            return (System.nanoTime() - started) / 1e9
        } finally {
            clients.forEach { it.close() }
            context.emulator.reset()
        }
    }

    private fun Double.format(): String = if (this == Math.floor(this)) "%.0f".format(this) else "%.1f".format(this)

    private companion object {
        val USERS = listOf(1, 3)

        /** The emulator's x-ms-dop-hint: the client's adaptive limit starts there, well under the 52 concurrent requests. */
        const val DOP_HINT = 4
    }
}
