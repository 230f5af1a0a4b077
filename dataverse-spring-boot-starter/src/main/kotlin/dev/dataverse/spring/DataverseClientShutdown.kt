package dev.dataverse.spring

import dev.dataverse.ClientObserver
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.InstrumentedClient
import dev.dataverse.spring.internal.CallsInFlight
import org.slf4j.LoggerFactory
import org.springframework.beans.factory.DisposableBean
import java.time.Duration

/**
 * Closes the starter's client when the context shuts down, gracefully: calls in flight get [timeout] to finish (the
 * web server has stopped taking requests by then), and only the ones still running after it fail with
 * `ClientClosedException`. It counts the calls by observing the client, as an instrumentation.
 */
public class DataverseClientShutdown(private val timeout: Duration) : DataverseInstrumentation, DisposableBean {
    private val calls = CallsInFlight()

    @Volatile
    private var client: DataverseClient? = null

    /** The public calls of the client running now. */
    public val callsInFlight: Int get() = calls.count

    /** Makes [client] the one closed on shutdown. */
    public fun manage(client: DataverseClient) {
        this.client = client
    }

    override fun bind(client: InstrumentedClient): ClientObserver = calls

    override fun destroy() {
        val managed = client ?: return
        val left = calls.awaitIdle(timeout)
        if (left > 0) LoggerFactory.getLogger(DataverseClientShutdown::class.java).warn("Closing the Dataverse client with {} calls still running after {}", left, timeout)
        managed.close()
    }
}
