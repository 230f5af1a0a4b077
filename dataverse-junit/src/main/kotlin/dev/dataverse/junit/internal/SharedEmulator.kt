package dev.dataverse.junit.internal

import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorSnapshot
import org.junit.jupiter.api.extension.ExtensionConfigurationException
import java.util.concurrent.atomic.AtomicReference

/**
 * The emulator of a test class (shared by its `@Nested` classes) and the test running on it now. Closed by JUnit with
 * the class's store.
 */
internal class SharedEmulator(val emulator: DataverseEmulator) : AutoCloseable {
    private val running = AtomicReference<String?>()

    /**
     * Notes that [test] runs now. With per-test isolation a test restores the baseline before it starts, which would undo
     * another test's changes halfway through: overlapping tests (parallel execution) are refused with a message that
     * says what to do.
     */
    fun enter(test: String, displayName: String) {
        val other = running.compareAndExchange(null, test)
        if (other != null && other != test) {
            throw ExtensionConfigurationException(
                "Test '$displayName' started while another test of the same Dataverse emulator was running ($other). With " +
                    "EmulatorIsolation.PER_TEST every test starts from the class's baseline, which would undo the other test's " +
                    "changes: run these tests one at a time (@Execution(ExecutionMode.SAME_THREAD) on the class) or choose " +
                    "EmulatorIsolation.SHARED.",
            )
        }
    }

    /** Refuses to restore a baseline for the class [displayName] while a test runs (parallel classes of one emulator). */
    fun checkIdle(displayName: String) {
        val test = running.get() ?: return
        throw ExtensionConfigurationException(
            "Class '$displayName' started while a test of the same Dataverse emulator was running ($test). With " +
                "EmulatorIsolation.PER_TEST its baseline would undo that test's changes: run these classes one at a time " +
                "(@Execution(ExecutionMode.SAME_THREAD)) or choose EmulatorIsolation.SHARED.",
        )
    }

    /** Notes, when closed, that [test] (which [enter] admitted) ended, so that the next test may start. */
    fun running(test: String): AutoCloseable = AutoCloseable { running.compareAndSet(test, null) }

    override fun close() = emulator.close()
}

/** The baseline of one test class: its emulator's state once its `@BeforeAll` methods ran. Closed with the class's store. */
internal class Baseline(val snapshot: EmulatorSnapshot) : AutoCloseable {
    override fun close() = snapshot.close()
}
