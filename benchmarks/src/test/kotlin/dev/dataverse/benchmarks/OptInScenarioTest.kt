package dev.dataverse.benchmarks

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Paths

/**
 * The `python-sdk` scenario needs tools outside the JDK: it runs only when named, and on a machine without them it says
 * it was skipped, and why, instead of failing the run.
 */
class OptInScenarioTest {

    @Test
    fun pythonSdkRunsOnlyWhenNamed() {
        val default = checkNotNull(BenchmarkMain.parse(arrayOf("--quick")))
        assertFalse("python-sdk" in default.scenarios.map { it.id }, "python-sdk must not run by default")

        val named = checkNotNull(BenchmarkMain.parse(arrayOf("--scenario", "python-sdk")))
        assertEquals(listOf("python-sdk"), named.scenarios.map { it.id })
        assertTrue(named.scenarios.single() is PythonSdkScenario)
    }

    @Test
    fun aMissingInterpreterIsNamedAsTheReason() {
        val missing = Paths.get("/nonexistent", "bin", "python3")

        val reason = PythonDriver.unavailable(python = missing, sdk = null)

        assertNotNull(reason)
        assertTrue(reason!!.contains(missing.toString()), reason)
    }

    @Test
    fun aSkippedScenarioIsCorrectUnlessItFailed() {
        val skipped = ScenarioResult().apply { skipped = "no python3 here" }
        assertTrue(skipped.correct(error = null))
        assertFalse(skipped.correct(error = "the import check crashed"))
        assertFalse(ScenarioResult().correct(error = null), "a scenario that ran must check something")
    }

    @Test
    fun aSkippedScenarioDoesNotFailTheRunAndSaysWhy() {
        val skipped = ScenarioReport(id = "python-sdk", title = "Python", setup = emptyList(), correct = true, skipped = "no python3 here (100% sure)")
        val report = BenchmarkReport("full", BenchmarkReport.now(), MachineInfo.current(), "benchmarks", listOf(skipped))

        assertTrue(report.correct)
        assertTrue(ReportWriter.table(report).contains("(python-sdk) — skipped: no python3 here (100% sure)"), ReportWriter.table(report))
        assertEquals("no python3 here (100% sure)", ReportWriter.fromJson(ReportWriter.toJson(report)).scenarios.single().skipped)
    }
}
