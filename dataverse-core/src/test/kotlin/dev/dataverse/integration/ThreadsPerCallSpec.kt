package dev.dataverse.integration

import dev.dataverse.HttpEngine
import dev.dataverse.emulator.DataverseEmulator
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe

/**
 * No thread per call on JVMs that see one or two CPUs (most containers), for Kotlin callers: the client runs in a child
 * JVM started with `-XX:ActiveProcessorCount=N` against the emulator in this one, and after a warm-up, over 400
 * suspending calls, one at a time and 16 at once, at most [SHORT_LIVED] threads may start and end (a thread per call
 * would be hundreds). With calls in parallel a pool may still grow while the machine is busy (Ktor CIO's on
 * `Dispatchers.IO` does), so there the threads started, which stay, are bounded by [POOL_GROWTH]; with one call at a
 * time by [SHORT_LIVED]. The Java facades' twin is dataverse-java's ThreadsPerCallTest.
 */
class ThreadsPerCallSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    afterSpec { emulator.close() }

    for (engine in HttpEngine.entries) {
        for (cpus in listOf(1, 2)) {
            test("$engine engine, $cpus CPU(s) visible: no thread starts per call") {
                val (code, output) = ChildJvm.run(
                    ThreadsPerCallChildMain::class.java, 128, listOf(emulator.baseUrl, engine.name, CALLS.toString()),
                    listOf("-XX:ActiveProcessorCount=$cpus"),
                )
                withClue(output) { code shouldBe 0 }
                val started = output.lines().filter { it.startsWith(ThreadsPerCallChildMain.PREFIX) }
                    .map { it.removePrefix(ThreadsPerCallChildMain.PREFIX).split(' ') }
                started.map { it[0] } shouldContainExactly listOf("suspend-sequential", "suspend-16-on-default")
                for ((mode, calls, count, ended) in started) {
                    calls.toInt() shouldBe CALLS
                    withClue("$mode: threads started and ended over $CALLS calls") { ended.toInt() shouldBeLessThanOrEqual SHORT_LIVED }
                    val bound = if (mode.endsWith("-sequential")) SHORT_LIVED else POOL_GROWTH
                    withClue("$mode: threads started over $CALLS calls") { count.toInt() shouldBeLessThanOrEqual bound }
                }
            }
        }
    }
})

private const val CALLS = 400
private const val SHORT_LIVED = 4
private const val POOL_GROWTH = 64
