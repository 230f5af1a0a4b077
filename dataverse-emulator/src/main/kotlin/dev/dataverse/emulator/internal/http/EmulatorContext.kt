package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorFaults
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.EmulatorStats
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.messages.CustomApiRecords
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.records.RecordChanges
import dev.dataverse.emulator.internal.records.Caller
import dev.dataverse.emulator.internal.options.DuplicateRules
import dev.dataverse.emulator.internal.options.RequestScope
import dev.dataverse.emulator.internal.options.Solutions
import dev.dataverse.emulator.internal.messages.MessageRegistry
import dev.dataverse.emulator.internal.records.DeleteCascade
import dev.dataverse.emulator.internal.records.PayloadReader
import dev.dataverse.emulator.internal.records.RecordWriter
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.search.SearchEngine
import dev.dataverse.emulator.internal.search.SearchSettings
import dev.dataverse.emulator.internal.synthetic.SyntheticRows
import dev.dataverse.emulator.internal.schema.SchemaEditor
import dev.dataverse.emulator.internal.state.RequestGate
import dev.dataverse.emulator.internal.state.StateImage
import java.time.Duration
import dev.dataverse.emulator.internal.files.FileStore
import dev.dataverse.emulator.internal.store.StoredFile
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/** The identity WhoAmI reports: stable for the life of one emulator. */
internal data class Identity(val userId: UUID, val businessUnitId: UUID, val organizationId: UUID) {
    companion object {
        fun random(): Identity = Identity(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())
    }
}

/**
 * Everything the handlers share: options, metadata, records, identity, the address the server listens on, and the
 * runtime controls (counters, fault rules, concurrency limit) that the embedding API and the admin API change.
 */
internal class EmulatorContext(
    val options: EmulatorOptions,
    val catalog: MetadataCatalog,
    val store: RecordStore,
    val identity: Identity = Identity.random(),
) {
    /** Duplicate-detection rules, checked for writes that ask for detection. */
    val duplicateRules: DuplicateRules = DuplicateRules()

    /** The solutions, and the components created in them with `MSCRM.SolutionUniqueName`. */
    val solutions: Solutions = Solutions(options.solutions)

    /** The messages (actions and functions) the emulator serves: standard ones and registered custom APIs. */
    val messages: MessageRegistry = MessageRegistry()

    init {
        messages.onChange = { syncCustomApiRecords() }
    }

    /** The scope of the request handled on this thread; see [within]. */
    private val requestScope = ThreadLocal<RequestScope?>()
    private val ownScope = RequestScope(Caller(identity.userId, identity.userId), duplicateDetection = false)

    /** Whom the request handled on this thread acts as, and whether it asked for duplicate detection. */
    fun scope(): RequestScope = requestScope.get() ?: ownScope

    /** Runs [block] (one request, synchronously on this thread) in [scope]; requests nested in a `$batch` inherit it. */
    fun <T> within(scope: RequestScope, block: () -> T): T = requestScope.holding(scope, block)

    val writer: RecordWriter = RecordWriter(store, DeleteCascade(catalog), ::scope, duplicateRules, options.clock::instant)
    val payloads: PayloadReader = PayloadReader(catalog, store)
    val schema: SchemaEditor = SchemaEditor(catalog, store, Duration.ofMillis(options.keyActivationDelayMillis))
    val stats: EmulatorStats = EmulatorStats()

    /** Dataverse search over the records of the searchable tables. */
    val search: SearchEngine = SearchEngine(catalog, store, SearchSettings()) { synthetic?.table?.logicalName }

    /** The content of file and image columns, on disk. */
    val files: FileStore = FileStore()
    val faults: EmulatorFaults = EmulatorFaults(options.faultSeed, options.faults)

    /** The synthetic table, when the options ask for one; registered in the catalog. */
    val synthetic: SyntheticRows? = if (options.syntheticRows > 0) SyntheticRows(options.syntheticRows).also { catalog.register(it.table) } else null

    private val limit = AtomicInteger(options.concurrencyLimit)

    /** The per-user service-protection limits, when the options turn them on. */
    val serviceProtection: ServiceProtection? = options.serviceProtection?.let(::ServiceProtection)

    /** The concurrency limit now in force; 0 means unlimited. */
    var concurrencyLimit: Int
        get() = limit.get()
        set(value) {
            require(value >= 0) { "concurrencyLimit must not be negative (0 means unlimited), was $value" }
            limit.set(value)
        }

    /** `http://127.0.0.1:<port>` (`https://` with [EmulatorOptions.tls]); set once the server knows its port. */
    @Volatile
    var baseUrl: String = "http://$HOST:${options.port}"

    /** The base URL of the request being handled on this thread, from its `Host`; see [servingHost]. */
    private val requestBaseUrl = ThreadLocal<String?>()

    /**
     * The API root URL for links: `<base>/api/data/v9.2`, where the base is the one the current request addressed
     * (its `Host`) while [servingHost] runs, else [baseUrl].
     */
    val apiUrl: String get() = (requestBaseUrl.get() ?: baseUrl) + API_ROOT_PATH

    /**
     * Runs [block] (which handles one request, synchronously on this thread) with links built for [requestBase]; `null`
     * keeps the base already in force, so requests inside a `$batch` keep the outer request's host.
     */
    fun <T> servingHost(requestBase: String?, block: () -> T): T {
        if (requestBase == null) return block()
        return requestBaseUrl.holding(requestBase, block)
    }

    /** The https certificate in PEM when the emulator serves https; null over http. Set once, at start. */
    @Volatile
    var certificatePem: String? = null

    /** Holds requests back while the whole state is read or replaced; see [RequestGate]. */
    val gate: RequestGate = RequestGate()

    /**
     * Deletes every record, restarts the counters and removes every fault rule (restarting the seeded dice), with no
     * request being handled meanwhile.
     */
    fun reset(): Unit = gate.exclusive("reset()") {
        store.clear()
        search.clear()
        files.clear()
        stats.reset()
        serviceProtection?.clear()
        faults.reset()
        addCaller()
        syncCustomApiRecords()
    }

    /** Brings the records of the `customapis` tables in line with the registered custom APIs. */
    fun syncCustomApiRecords() {
        CustomApiRecords.sync(store, messages.customApis())
    }

    /**
     * The state now, taken with no request being handled, so that no change set or bulk action is half in it. The
     * content of the files its records refer to is pinned until [release].
     */
    fun capture(): StateImage = gate.exclusive("snapshot()") {
        val records = store.image()
        val fileIds = records.fileIds()
        files.pin(fileIds)
        StateImage(
            catalog = catalog.image(),
            records = records,
            files = fileIds,
            faults = faults.rules(),
            concurrencyLimit = concurrencyLimit,
            searchEnabled = search.settings.enabled,
            searchableTables = search.settings.tables,
            customApis = messages.customApis(),
            duplicateRules = duplicateRules.all(),
            solutions = solutions.all(),
            solutionNames = solutions.names(),
        )
    }

    /**
     * Puts the state back as [image] holds it, with no request being handled meanwhile; restarts the counters and the
     * seeded dice, ends upload sessions, and removes the content of files only the abandoned state referred to.
     */
    fun restore(image: StateImage): Unit = gate.exclusive("restore()") {
        catalog.load(image.catalog)
        store.load(image.records)
        search.clear()
        search.settings.enabled = image.searchEnabled
        search.settings.tables = image.searchableTables
        files.endSessions()
        files.reinstate(image.files)
        faults.load(image.faults)
        concurrencyLimit = image.concurrencyLimit
        messages.load(image.customApis)
        duplicateRules.load(image.duplicateRules)
        solutions.load(image.solutionNames, image.solutions)
        stats.reset()
        sweepFiles()
    }

    /** Unpins the files of [image], removing content that nothing refers to any more. */
    fun release(image: StateImage) {
        gate.serving {
            files.unpin(image.files)
            sweepFiles()
        }
    }

    init {
        addCaller()
    }

    /** The `systemuser` record of the caller WhoAmI names, which owns the records of user-owned tables. */
    private fun addCaller() {
        val users = catalog.table(StandardTables.SYSTEM_USER) ?: return
        writer.create(users, RecordChanges(mapOf("fullname" to CALLER_NAME), identity.userId))
    }

    /**
     * Removes the content of files no record refers to any more. The references are read under the locks of every table
     * with file columns, so no transaction is half-done meanwhile (a rolled-back delete keeps its file), and only files
     * committed before the sweep started are considered.
     */
    fun sweepFiles() {
        if (files.fileCount == 0) return
        val sweepable = files.sweepable()
        val tables = catalog.tables().filter { table -> table.columns.any { it.type.isFile } }
        val referenced = HashSet<UUID>()
        store.atomically(tables) {
            for (table in tables) {
                val columns = store.table(table).table.columns.filter { it.type.isFile }
                for (record in store.table(table).all()) {
                    columns.forEach { column -> (record[column.logicalName] as? StoredFile)?.let { referenced += it.id } }
                }
            }
        }
        files.sweep(sweepable, referenced)
    }

    companion object {
        const val HOST: String = "127.0.0.1"
        const val API_ROOT_PATH: String = "/api/data/v9.2"

        /** The full name of the emulator's one user. */
        const val CALLER_NAME: String = "Emulator User"
    }
}

/** Runs [block] with this thread-local set to [value], restoring the previous value afterwards (nested requests nest). */
private inline fun <V, T> ThreadLocal<V?>.holding(value: V, block: () -> T): T {
    val previous = get()
    set(value)
    try {
        return block()
    } finally {
        set(previous)
    }
}
