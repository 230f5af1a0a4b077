package dev.dataverse.benchmarks

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.nio.file.Files
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

/**
 * Runs every scenario in quick mode, as CI does, to prove they still work: each one's counts must match (records created,
 * rows streamed, the streaming JVM's exit code) and the JSON report must be written. Timings are never asserted.
 */
class BenchmarkQuickModeTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    fun everyScenarioRunsCorrectlyInQuickMode() {
        val out = Paths.get("target", "benchmark-quick.json")
        Files.deleteIfExists(out)
        val options = checkNotNull(BenchmarkMain.parse(arrayOf("--quick", "--out", out.toString())))

        val report = BenchmarkMain.run(options) { }
        println(ReportWriter.table(report))

        // Every scenario, then the one-CPU pass's, from a client JVM that sees one CPU.
        val expected = BenchmarkMain.SCENARIOS.map { it.id } + BenchmarkMain.ONE_CPU_SCENARIOS.map { "$it-1cpu" }
        assertEquals(expected, report.scenarios.map { it.id })
        for (scenario in report.scenarios) {
            assertTrue(scenario.error == null, "${scenario.id} failed: ${scenario.error}")
            assertTrue(scenario.checks.isNotEmpty(), "${scenario.id} checked nothing")
            scenario.checks.forEach { assertTrue(it.ok, "${scenario.id}: ${it.name}: expected ${it.expected}, got ${it.actual}") }
            assertTrue(scenario.correct, "${scenario.id} is not marked correct")
            assertTrue(scenario.variants.isNotEmpty(), "${scenario.id} measured nothing")
            if (scenario.id.removeSuffix("-1cpu") in BenchmarkMain.ONE_CPU_SCENARIOS) {
                assertTrue(scenario.variants.all { it.threadsStartedPerOp != null }, "${scenario.id} did not count the threads started")
            }
        }
        // Which threads a call's work runs on: the calling thread's and the JDK client's, for the sequential blocking calls.
        val facade = report.scenarios.first { it.id == "vs-jdk" }.variants.first { it.name == "sdk-default blocking facade c=1" }
        val roles = checkNotNull(facade.threadCpuMicrosPerOpByRole) { "no CPU per thread role" }
        assertTrue("blocking-sequential-#" in roles, "the calling thread's CPU is not reported: ${roles.keys}")
        assertTrue(Files.exists(out), "the JSON report was not written")
        val written = ReportWriter.fromJson(Files.readString(out))
        assertEquals("quick", written.mode)
        assertEquals(report.scenarios.map { it.id }, written.scenarios.map { it.id })
        assertTrue(written.machine.cores > 0)
    }
}
