package dev.dataverse.spark.internal

import com.azure.identity.ClientSecretCredentialBuilder
import dev.dataverse.AccessToken
import dev.dataverse.DataverseClient
import dev.dataverse.InvalidInputException
import dev.dataverse.RetryOptions
import dev.dataverse.spark.SparkTokenProvider
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledFuture
import java.util.concurrent.TimeUnit

/**
 * The clients of one JVM (the driver or an executor), one per connection and application user, shared by every task that
 * runs there: tasks of one JVM share one connection pool, token cache, metadata cache and one concurrency limiter
 * ([Connection.executorConcurrency]) instead of multiplying them.
 *
 * Spark ships options, never clients. A task [acquire]s its client and [release]s it when it ends; a client nobody
 * holds is closed after [IDLE_MILLIS] (the next stage of the same job usually picks it up again before that), and every
 * client is closed when the JVM shuts down.
 */
internal object ClientCache {
    private class Entry(val client: DataverseClient) {
        var holders = 0
        var closing: ScheduledFuture<*>? = null
    }

    private const val IDLE_MILLIS = 60_000L
    private val entries = HashMap<Pair<Connection, Int>, Entry>()
    private val closer = Executors.newSingleThreadScheduledExecutor { runnable ->
        Thread(runnable, "dataverse-spark-client-closer").apply { isDaemon = true }
    }

    init {
        Runtime.getRuntime().addShutdownHook(Thread({ closeAll() }, "dataverse-spark-shutdown"))
    }

    /** The shared client of [connection] for application user [user]; pair with [release]. */
    fun acquire(connection: Connection, user: Int): DataverseClient = synchronized(this) {
        val key = connection to user
        val entry = entries[key]?.takeUnless { it.client.isClosed } ?: Entry(build(connection, user)).also { entries[key] = it }
        entry.closing?.cancel(false)
        entry.closing = null
        entry.holders++
        entry.client
    }

    /** Gives back a client [acquire]d for [connection] and [user]. */
    fun release(connection: Connection, user: Int): Unit = synchronized(this) {
        val key = connection to user
        val entry = entries[key] ?: return
        entry.holders--
        if (entry.holders <= 0) {
            entry.closing = closer.schedule({ closeIdle(key, entry) }, IDLE_MILLIS, TimeUnit.MILLISECONDS)
        }
    }

    /** Runs [block] with the shared client, released afterwards: for the driver's short metadata reads. */
    inline fun <T> use(connection: Connection, user: Int, block: (DataverseClient) -> T): T {
        val client = acquire(connection, user)
        try {
            return block(client)
        } finally {
            release(connection, user)
        }
    }

    private fun closeIdle(key: Pair<Connection, Int>, entry: Entry) {
        synchronized(this) {
            if (entry.holders > 0 || entries[key] !== entry) return
            entries.remove(key)
        }
        entry.client.close()
    }

    private fun closeAll() {
        val clients = synchronized(this) { entries.values.map { it.client }.also { entries.clear() } }
        clients.forEach { runCatching { it.close() } }
    }

    private fun build(connection: Connection, user: Int): DataverseClient {
        val builder = DataverseClient.builder()
            .environmentUrl(connection.url)
            .applicationId("dataverse-spark")
            .maxConcurrentRequests(connection.executorConcurrency)
            .maxConnections(connection.executorConcurrency.coerceAtLeast(1))
            .retry(RetryOptions.builder().maxAttempts(connection.maxAttempts).build())
            // Counts requests, 429s and retries for the Spark UI, per task (see TaskMetrics).
            .addInstrumentation(MetricsInstrumentation)
        when (val credentials = connection.credentials) {
            is Credentials.Tokens -> builder.token(credentials.tokens[user])
            is Credentials.ClientSecrets -> builder.credential(
                ClientSecretCredentialBuilder()
                    .tenantId(credentials.tenantId)
                    .clientId(credentials.clientIds[user])
                    .clientSecret(credentials.secrets[user])
                    .build(),
            )
            is Credentials.Provider -> {
                val provider = instantiate(credentials)
                builder.tokenProvider { scope -> blockingToken(provider, scope, user) }
            }
        }
        return builder.build()
    }

    private fun blockingToken(provider: SparkTokenProvider, scope: String, user: Int): AccessToken = provider.getToken(scope, user)

    /**
     * Loads the user-named class without initialising it, checks that it is a [SparkTokenProvider], and only then runs its
     * static initialiser (through its constructor): a class name in an option must not run code that was never meant to
     * be a token provider.
     */
    private fun instantiate(credentials: Credentials.Provider): SparkTokenProvider {
        val type = try {
            Class.forName(credentials.className, false, Thread.currentThread().contextClassLoader ?: ClientCache::class.java.classLoader)
        } catch (e: ClassNotFoundException) {
            throw InvalidInputException("The token provider class '${credentials.className}' is not on the classpath.", e)
        } catch (e: LinkageError) {
            throw InvalidInputException("The token provider class '${credentials.className}' cannot be loaded: $e", e)
        }
        if (!SparkTokenProvider::class.java.isAssignableFrom(type)) {
            throw InvalidInputException("The token provider class '${credentials.className}' does not implement ${SparkTokenProvider::class.java.name}.")
        }
        val withOptions = type.constructors.firstOrNull { it.parameterCount == 1 && it.parameterTypes[0] == Map::class.java }
        val instance = withOptions?.newInstance(credentials.options)
            ?: type.constructors.firstOrNull { it.parameterCount == 0 }?.newInstance()
            ?: throw InvalidInputException(
                "The token provider class '${credentials.className}' needs a public constructor taking Map<String, String> or none.",
            )
        return instance as SparkTokenProvider
    }
}
