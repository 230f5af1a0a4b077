package dev.dataverse.emulator

import dev.dataverse.emulator.internal.http.EmulatorContext
import dev.dataverse.emulator.internal.state.StateImage
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The state of a [DataverseEmulator] at one moment, taken by [DataverseEmulator.snapshot] and put back by
 * [DataverseEmulator.restore] as often as needed: a baseline that every test starts from, as a test framework's
 * per-test rollback gives a database.
 *
 * ```kotlin
 * val baseline = emulator.snapshot()        // after creating tables, seed records, custom APIs, fault rules
 * // ... a test changes records, files, faults, the concurrency limit, the schema ...
 * emulator.restore(baseline)                // everything as it was when the snapshot was taken
 * ```
 * ```java
 * try (EmulatorSnapshot baseline = emulator.snapshot()) {
 *     runScenario(client);
 *     emulator.restore(baseline);
 * }
 * ```
 *
 * ## What it holds
 * The schema (tables, columns, relationships, alternate keys, global choices), every record with its version (so ETags
 * taken before the snapshot still match after a restore), deletions and many-to-many links, the files of file and image
 * columns, the fault rules, the [concurrency limit][DataverseEmulator.concurrencyLimit], the search settings, the custom APIs, the
 * duplicate-detection rules and the solution components. Not held: the [request counters][DataverseEmulator.stats],
 * which a restore restarts, and upload sessions in progress, which a restore ends.
 *
 * ## Cost
 * Records are immutable, so a snapshot shares them: it costs one map entry per record, and taking or restoring it is
 * linear in the number of records. The content of the files its records refer to stays on disk while the snapshot is
 * open, also after the records are deleted; [close] releases it (closing the emulator does too). A snapshot belongs to
 * the emulator that took it.
 */
public class EmulatorSnapshot private constructor(
    @get:JvmSynthetic
    internal val image: StateImage,
    private val context: EmulatorContext,
) : AutoCloseable {
    private val closed = AtomicBoolean()

    /** The number of records the snapshot holds, over every table (the emulator's own user included). */
    public val recordCount: Long get() = image.recordCount

    /** Whether [close] was called: such a snapshot can no longer be restored. */
    public val isClosed: Boolean get() = closed.get()

    /**
     * Releases the file content only this snapshot kept; restoring it afterwards throws [IllegalStateException]. Calling
     * it again does nothing.
     */
    override fun close() {
        if (closed.compareAndSet(false, true)) context.release(image)
    }

    /**
     * Restores the snapshot into [target] after checking that it belongs there, and, with requests held back, that it is
     * still open (so a concurrent [close] either comes first and refuses the restore, or waits for it).
     */
    @JvmSynthetic
    internal fun restoreInto(target: EmulatorContext) {
        require(target === context) { "This snapshot was taken of another emulator; restore it into the emulator that took it." }
        target.gate.exclusive("restore()") {
            check(!closed.get()) { "This snapshot was closed and can no longer be restored." }
            target.restore(image)
        }
    }

    override fun toString(): String = "EmulatorSnapshot(records=$recordCount${if (isClosed) ", closed" else ""})"

    internal companion object {
        @JvmSynthetic
        internal fun take(context: EmulatorContext): EmulatorSnapshot = EmulatorSnapshot(context.capture(), context)
    }
}
