package dev.dataverse.emulator

import dev.dataverse.emulator.internal.http.ApiRouter
import dev.dataverse.emulator.internal.http.EmulatorContext
import dev.dataverse.emulator.internal.http.EmulatorServer
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.store.RecordStore
import java.util.concurrent.atomic.AtomicBoolean

/**
 * An in-memory Dataverse Web API on localhost. Any Dataverse client (this library, the Python SDK, curl) can
 * use it as an environment: it answers like the real service on the wire, so tests, samples and benchmarks
 * run without a tenant, a secret or a network. It starts with the standard `account` and `contact` tables
 * and no records.
 *
 * ```
 * DataverseEmulator.start().use { emulator ->
 *     val client = /* any client configured with */ emulator.baseUrl
 * }
 * ```
 */
public class DataverseEmulator private constructor(
    private val context: EmulatorContext,
    private val server: EmulatorServer,
    private val statistics: EmulatorStats,
) : AutoCloseable {
    private val closed = AtomicBoolean()

    /** The port the emulator listens on (the free port chosen when the options asked for port 0). */
    public val port: Int get() = server.port

    /** The environment URL clients are configured with, `http://127.0.0.1:<port>` (no trailing slash). */
    public val baseUrl: String get() = context.baseUrl

    /** The Web API root, `<baseUrl>/api/data/v9.2`. */
    public val apiUrl: String get() = context.apiUrl

    /** Live request counters. */
    public val stats: EmulatorStats get() = statistics

    /**
     * The number of records in the table with logical name [table] (e.g. `account`).
     * Throws [IllegalArgumentException] for a table the emulator does not have.
     */
    public fun recordCount(table: String): Int {
        val store = requireNotNull(context.store.table(table)) { "The emulator has no table named '$table'" }
        return store.size
    }

    /** Deletes every record of every table and restarts the [stats] counters; tables and their metadata stay. */
    public fun reset() {
        context.store.clear()
        statistics.reset()
    }

    /** Stops the server promptly; requests in flight may be cut off. Calling it again does nothing. */
    override fun close() {
        if (closed.compareAndSet(false, true)) server.stop()
    }

    override fun toString(): String = "DataverseEmulator($baseUrl)"

    /** Starting emulators. */
    public companion object {
        /**
         * Starts an emulator on 127.0.0.1 with [options] (by default on a free port) and returns once it accepts
         * connections. Close it when done. Throws [java.io.IOException] when the port cannot be bound.
         */
        @JvmStatic
        @JvmOverloads
        public fun start(options: EmulatorOptions = EmulatorOptions()): DataverseEmulator {
            val catalog = MetadataCatalog(StandardTables.all())
            val context = EmulatorContext(options, catalog, RecordStore(catalog))
            val stats = EmulatorStats()
            val server = EmulatorServer(ApiRouter(context), stats, options.port)
            val port = server.start()
            context.baseUrl = "http://${EmulatorContext.HOST}:$port"
            return DataverseEmulator(context, server, stats)
        }
    }
}
