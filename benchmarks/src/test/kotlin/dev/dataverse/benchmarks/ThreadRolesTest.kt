package dev.dataverse.benchmarks

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The split of a round's thread CPU by thread role, which shows on which threads a call's work runs. */
class ThreadRolesTest {
    @Test
    fun numbersInThreadNamesBecomeOneRole() {
        assertEquals("HttpClient-#-SelectorManager", ThreadCpu.role("HttpClient-12-SelectorManager"))
        assertEquals("blocking-sequential-#", ThreadCpu.role("blocking-sequential-1"))
        assertEquals("main", ThreadCpu.role("main"))
    }

    @Test
    fun workOnAnotherThreadIsCountedUnderThatThreadsRole() {
        val sample = measure(expectedOperations = 1) {
            val workers = (1..2).map { n -> Thread({ spin() }, "role-test-spinner-$n").apply { start() } }
            workers.forEach { it.join() }
            1
        }
        // The spinners ended inside the round, so their time went with them; a live thread of the same role is needed.
        assertTrue(sample.threadCpuByRole.keys.none { it.startsWith("role-test-spinner") }, "ended threads take their time with them")

        val done = java.util.concurrent.CountDownLatch(1)
        val spun = java.util.concurrent.CountDownLatch(1)
        val live = Thread({
            spin()
            spun.countDown()
            done.await()
        }, "role-test-live-7").apply { isDaemon = true }
        val measured = measure(expectedOperations = 1) {
            live.start()
            spun.await()
            1
        }
        done.countDown()
        val spinner = measured.threadCpuByRole["role-test-live-#"] ?: 0L
        assertTrue(spinner > 0, "the live thread's CPU is under its role: ${measured.threadCpuByRole}")
        assertEquals(measured.threadCpuNanos, measured.threadCpuByRole.values.sum(), "the roles add up to the threads' CPU")
    }

    @Volatile
    private var sink = 0L

    private fun spin() {
        var x = 0L
        repeat(5_000_000) { x += it * 31L xor x }
        sink = x
    }
}
