package dev.dataverse.internal

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpEngine
import dev.dataverse.HttpPolicy
import dev.dataverse.RequestOptions
import dev.dataverse.RetryOptions
import dev.dataverse.TokenProvider
import dev.dataverse.internal.protocol.EnvironmentUrl
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager
import kotlin.time.Duration
import kotlin.time.TimeSource

/** The validated settings a client is built from. */
internal class ClientSettings(
    val environmentUrl: EnvironmentUrl,
    val apiVersion: String,
    val tokenProvider: TokenProvider,
    val requestTimeout: Duration,
    val connectTimeout: Duration,
    val maxConnections: Int,
    val applicationId: String?,
    val retry: RetryOptions,
    val maxConcurrentRequests: Int,
    val operationTimeout: Duration?,
    val logBodies: Boolean,
    val maxResponseBytes: Long,
    val httpEngine: HttpEngine,
    val metadataCacheTtl: Duration,
    /** Waits between attempts; a seam so tests can assert backoffs without sleeping. */
    val delay: suspend (Duration) -> Unit,
    val random: kotlin.random.Random,
    /** The bytes all responses read at once may hold together; see [DataverseClient.Builder.maxBufferedResponseBytes]. */
    val maxBufferedResponseBytes: Long = maxResponseBytes,
    /** The TLS context of the JDK transport; `null` for the JVM's default trust. */
    val sslContext: SSLContext? = null,
    /** The trust manager [sslContext] was built with, for Ktor CIO's own TLS. */
    val trustManager: X509TrustManager? = null,
    /** The user's policies, in order; see [HttpPolicy]. */
    val policies: List<HttpPolicy> = emptyList(),
    /** Time for the retry budget; a seam so tests can drive it. */
    val timeSource: TimeSource = TimeSource.Monotonic,
    /** The options every request carries; see [DataverseClient.Builder.defaultRequestOptions]. */
    val requestOptions: RequestOptions = RequestOptions.NONE,
    /** Tracing and metrics; see [dev.dataverse.DataverseInstrumentation]. */
    val instrumentations: List<DataverseInstrumentation> = emptyList(),
) {
    val apiUrl: String = "${environmentUrl.value}/api/data/$apiVersion"
    val tokenScope: String = "${environmentUrl.value}/.default"
}
