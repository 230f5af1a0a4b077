package dev.dataverse.spark

import com.sun.net.httpserver.HttpServer
import dev.dataverse.DataverseClient
import dev.dataverse.RetryOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import org.apache.spark.sql.DataFrameReader
import org.apache.spark.sql.SparkSession
import java.net.InetSocketAddress
import java.net.URI
import java.net.URLDecoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.Collections
import java.util.concurrent.Executors

/**
 * One Spark session (local mode, 4 task slots) and one emulator for every Spark spec of the module: Spark's start-up
 * costs seconds, so it happens once per test JVM, and specs of pure logic never touch it.
 */
object SparkTestSupport {
    const val SYNTHETIC_ROWS = 1_000_000L
    const val SLOTS = 4
    const val TOKEN = "spark-test-token"

    val emulator: DataverseEmulator by lazy {
        DataverseEmulator.start(EmulatorOptions(syntheticRows = SYNTHETIC_ROWS, faultSeed = 17, keyActivationDelayMillis = 0))
            .also { started -> Runtime.getRuntime().addShutdownHook(Thread { started.close() }) }
    }

    val spark: SparkSession by lazy {
        SparkSession.builder()
            .master("local[$SLOTS,4]") // 4 attempts per task: local mode does not retry otherwise
            .appName("dataverse-spark-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.task.maxFailures", "4")
            // SQL tables (CREATE TABLE ... USING dataverse) keep an empty directory there: not in the source tree.
            .config("spark.sql.warehouse.dir", java.nio.file.Files.createTempDirectory("spark-warehouse").toString())
            .getOrCreate()
    }

    /** A plain client of the emulator, for seeding and checking. */
    val client: DataverseClient by lazy {
        DataverseClient.builder().environmentUrl(emulator.baseUrl).token(TOKEN)
            .retry(RetryOptions.builder().maxAttempts(20).baseDelay(java.time.Duration.ofMillis(1)).maxDelay(java.time.Duration.ofMillis(20)).build())
            .build()
    }

    /**
     * Creates the alternate key on `account.accountnumber` that upserts by account number need, as a user does on a fresh
     * org (where no table has one), unless it exists already (the emulator keeps schema across resets).
     */
    fun ensureAccountNumberKey() = kotlinx.coroutines.runBlocking {
        if (client.tables.keys("account").none { it.schemaName == ACCOUNT_NUMBER_KEY }) {
            client.tables.createKey("account", dev.dataverse.AlternateKeySpec(ACCOUNT_NUMBER_KEY, listOf("accountnumber")))
        }
        client.tables.awaitKey("account", ACCOUNT_NUMBER_KEY)
    }

    private const val ACCOUNT_NUMBER_KEY = "new_AccountNumberKey"

    /** `spark.read.format("dataverse")` on [url] (the emulator by default) with [table]. */
    fun read(table: String, url: String = emulator.baseUrl): DataFrameReader =
        spark.read().format("dataverse").option("url", url).option("token", TOKEN).option("table", table)
}

/**
 * A forwarding proxy in front of the emulator that records every request line (method and decoded path with query),
 * so that tests can see what the connector put on the wire.
 */
class RecordingProxy(private val target: String) : AutoCloseable {
    private val http = HttpClient.newHttpClient()
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    private val recorded = Collections.synchronizedList(ArrayList<String>())

    val url: String get() = "http://127.0.0.1:${server.address.port}"

    /** The requests so far, e.g. `GET /api/data/v9.2/accounts?$select=name&$filter=...` (query percent-decoded). */
    val requests: List<String> get() = synchronized(recorded) { recorded.toList() }

    init {
        server.executor = Executors.newFixedThreadPool(8) { Thread(it).apply { isDaemon = true } }
        server.createContext("/") { exchange ->
            val uri = exchange.requestURI.rawPath + (exchange.requestURI.rawQuery?.let { "?$it" } ?: "")
            recorded += "${exchange.requestMethod} ${URLDecoder.decode(uri.replace("+", "%2B"), Charsets.UTF_8)}"
            val body = exchange.requestBody.readAllBytes()
            val request = HttpRequest.newBuilder(URI.create(target + uri)).method(exchange.requestMethod, HttpRequest.BodyPublishers.ofByteArray(body))
            exchange.requestHeaders.forEach { (name, values) ->
                if (name.lowercase() !in RESTRICTED) values.forEach { request.header(name, it) }
            }
            val response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray())
            response.headers().map().forEach { (name, values) ->
                if (name.lowercase() !in setOf("content-length", "transfer-encoding", ":status")) exchange.responseHeaders[name] = values
            }
            // Absolute links (next pages) point at the emulator: rewritten to the proxy, as a real gateway would.
            val bytes = String(response.body(), Charsets.UTF_8).replace(target, url).toByteArray(Charsets.UTF_8)
            exchange.sendResponseHeaders(response.statusCode(), if (bytes.isEmpty()) -1 else bytes.size.toLong())
            exchange.responseBody.use { it.write(bytes) }
        }
        server.start()
    }

    override fun close() {
        server.stop(0)
    }

    private companion object {
        val RESTRICTED = setOf("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding")
    }
}
