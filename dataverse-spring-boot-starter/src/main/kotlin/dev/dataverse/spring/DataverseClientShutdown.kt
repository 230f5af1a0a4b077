package dev.dataverse.spring

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import org.slf4j.LoggerFactory
import org.springframework.beans.factory.DisposableBean
import java.time.Duration
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * Closes the starter's client when the context shuts down, gracefully: calls in flight get [timeout] to finish (the
 * web server has stopped taking requests by then), and only the ones still running after it fail with
 * `ClientClosedException`. It counts the calls by observing the client, as an instrumentation.
 */
public class DataverseClientShutdown(private val timeout: Duration) : DataverseInstrumentation, DisposableBean {
    private val lock = ReentrantLock()
    private val idle = lock.newCondition()
    private var running = 0

    @Volatile
    private var client: DataverseClient? = null

    /** The public calls of the client running now. */
    public val callsInFlight: Int get() = lock.withLock { running }

    /** Makes [client] the one closed on shutdown. */
    public fun manage(client: DataverseClient) {
        this.client = client
    }

    override fun bind(client: InstrumentedClient): ClientObserver = Observer()

    override fun destroy() {
        val managed = client ?: return
        var left = timeout.toNanos()
        lock.withLock {
            while (running > 0 && left > 0) left = idle.awaitNanos(left)
            if (running > 0) log.warn("Closing the Dataverse client with {} calls still running after {}", running, timeout)
        }
        managed.close()
    }

    private inner class Observer : ClientObserver, OperationObserver {
        override fun operationStarted(operation: OperationInfo): OperationObserver {
            lock.withLock { running++ }
            return this
        }

        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver = NOTHING

        override fun ended(error: Throwable?) {
            lock.withLock {
                running--
                if (running == 0) idle.signalAll()
            }
        }
    }

    private companion object {
        val NOTHING = AttemptObserver { _, _ -> }
        val log = LoggerFactory.getLogger(DataverseClientShutdown::class.java)
    }
}
