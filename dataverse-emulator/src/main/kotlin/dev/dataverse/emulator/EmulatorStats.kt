package dev.dataverse.emulator

import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicLongArray

/**
 * Live counters of a [DataverseEmulator], for tests and benchmarks that check how a client uses the service (how
 * many calls, how much parallelism) and how it copes with misbehaviour (throttling, injected faults, abandoned
 * requests). Each read returns the current value; counters restart at [DataverseEmulator.reset]. Requests to the
 * admin API (`/_emulator/...`) are not counted. Also served as JSON by `GET /_emulator/stats`.
 */
public class EmulatorStats private constructor() {
    private val requestCount = AtomicLong()
    private val inFlightCount = AtomicInteger()
    private val maxInFlightCount = AtomicInteger()
    private val throttledCount = AtomicLong()
    private val protectionCount = AtomicLong()
    private val faultCounts = AtomicLongArray(FaultKind.entries.size)
    private val disconnectCount = AtomicLong()
    private val fileUploadCount = AtomicLong()
    private val connectionCount = AtomicLong()
    private val handshakeCount = AtomicLong()
    private val optionCounts = AtomicLongArray(RequestOption.entries.size)

    @Volatile
    private var latestTag: String? = null

    /** Requests received since start or the last reset (counted when a request arrives, also when it is refused). */
    public val requests: Long get() = requestCount.get()

    /** Requests admitted and being handled right now. */
    public val inFlight: Int get() = inFlightCount.get()

    /**
     * The largest number of requests handled at the same time since start or the last reset. Only admitted requests
     * count, so it never exceeds the concurrency limit.
     */
    public val maxInFlight: Int get() = maxInFlightCount.get()

    /** Requests refused with 429 because the concurrency limit was reached (injected throttling faults not included). */
    public val throttled: Long get() = throttledCount.get()

    /** Faults injected by [FaultRule]s, of every kind. */
    public val faultsInjected: Long get() = (0 until faultCounts.length()).sumOf { faultCounts.get(it) }

    /**
     * Requests whose client went away before the answer was written: the connection closed while the request was
     * handled (e.g. a client that cancelled a slow call), or writing the answer failed.
     */
    public val disconnects: Long get() = disconnectCount.get()

    /**
     * Requests that start, carry or commit file content: single and chunked `PATCH`es of file columns and the
     * `InitializeFileBlocksUpload`, `UploadBlock` and `CommitFileBlocksUpload` actions. Lets tests check that a client
     * refused an upload (e.g. over the size limit) without sending it.
     */
    public val fileUploads: Long get() = fileUploadCount.get()

    /**
     * TCP connections clients opened to the emulator, so tests and benchmarks can check that a client reuses its
     * connections instead of opening one per request. Every accepted connection counts, over http and over https
     * ([EmulatorOptions.tls]), also one closed before sending anything; admin API requests' connections count too.
     */
    public val connectionsAccepted: Long get() = connectionCount.get()

    /**
     * TLS handshakes completed ([EmulatorOptions.tls] only; always 0 over http), resumed sessions included. A client that
     * rejects the certificate aborts its handshake, which is not counted, while its connection is.
     */
    public val tlsHandshakes: Long get() = handshakeCount.get()

    /**
     * API requests (top-level, and each part of a `$batch`) that carried [option]: impersonation, bypassed logic,
     * duplicate detection, a `tag`, a solution. Lets tests check which options a client sent, and on which requests.
     */
    public fun requestsWith(option: RequestOption): Long = optionCounts.get(option.ordinal)

    /** The `tag` query option of the latest request that carried one (the shared variable plug-ins would see); null if none. */
    public val lastTag: String? get() = latestTag

    /**
     * Requests refused with 429 by the per-user service-protection limits ([EmulatorOptions.serviceProtection]): too
     * many requests or too much execution time in the window, or too many at once.
     */
    public val serviceProtectionRefusals: Long get() = protectionCount.get()

    /** Faults of [kind] injected since start or the last reset. */
    public fun faultsInjected(kind: FaultKind): Long = faultCounts.get(kind.ordinal)

    @JvmSynthetic
    internal fun requestReceived() {
        requestCount.incrementAndGet()
    }

    /** Counts the request as in flight unless [limit] (> 0) requests already are; returns whether it was admitted. */
    @JvmSynthetic
    internal fun tryAdmit(limit: Int): Boolean {
        while (true) {
            val current = inFlightCount.get()
            if (limit > 0 && current >= limit) return false
            if (inFlightCount.compareAndSet(current, current + 1)) {
                maxInFlightCount.accumulateAndGet(current + 1, ::maxOf)
                return true
            }
        }
    }

    @JvmSynthetic
    internal fun requestFinished() {
        inFlightCount.decrementAndGet()
    }

    @JvmSynthetic
    internal fun throttledByLimit() {
        throttledCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun refusedByServiceProtection() {
        protectionCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun faultInjected(kind: FaultKind) {
        faultCounts.incrementAndGet(kind.ordinal)
    }

    @JvmSynthetic
    internal fun fileUploadReceived() {
        fileUploadCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun connectionAccepted() {
        connectionCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun tlsHandshakeCompleted() {
        handshakeCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun optionSeen(option: RequestOption) {
        optionCounts.incrementAndGet(option.ordinal)
    }

    @JvmSynthetic
    internal fun tagSeen(tag: String) {
        latestTag = tag
        optionSeen(RequestOption.TAG)
    }

    @JvmSynthetic
    internal fun disconnectSeen() {
        disconnectCount.incrementAndGet()
    }

    @JvmSynthetic
    internal fun reset() {
        requestCount.set(0)
        maxInFlightCount.set(inFlightCount.get())
        throttledCount.set(0)
        protectionCount.set(0)
        for (index in 0 until faultCounts.length()) faultCounts.set(index, 0)
        disconnectCount.set(0)
        fileUploadCount.set(0)
        connectionCount.set(0)
        handshakeCount.set(0)
        for (index in 0 until optionCounts.length()) optionCounts.set(index, 0)
        latestTag = null
    }

    override fun toString(): String =
        "EmulatorStats(requests=$requests, inFlight=$inFlight, maxInFlight=$maxInFlight, throttled=$throttled, " +
            "faultsInjected=$faultsInjected, disconnects=$disconnects, fileUploads=$fileUploads, " +
            "connectionsAccepted=$connectionsAccepted, tlsHandshakes=$tlsHandshakes)"

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(): EmulatorStats = EmulatorStats()
    }
}
