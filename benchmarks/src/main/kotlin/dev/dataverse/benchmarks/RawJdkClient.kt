package dev.dataverse.benchmarks

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.UUID
import javax.net.ssl.SSLContext

/**
 * The baseline every benchmark compares the SDK with: the same calls with the same headers, written by hand on the JDK's
 * `java.net.http.HttpClient` with its defaults — what a careful user without the SDK would write. Only what the SDK
 * also does is set: no redirects, a 10 s connect timeout, a 120 s request timeout, HTTP/1.1 over plain http (the
 * default HTTP/2 would first try an h2c upgrade), and over https the default (HTTP/2 offered by ALPN, HTTP/1.1 if the
 * server declines it). Calls are made blocking (`send`) from threads, or from coroutines by `send` on `Dispatchers.IO`,
 * matching the SDK variant they are compared with. Not `sendAsync(...).await()`: its future hops through
 * `CompletableFuture`'s default async pool, which starts a thread per task on a JVM that sees one or two CPUs, so it
 * would make a weak floor exactly where most services run.
 *
 * With [directExecutor], the JDK client runs its completions on its selector thread (`executor(Runnable::run)`), as the
 * SDK's default transport does, instead of handing each response to a worker thread of its default executor: the same
 * calls on the same configuration, so that what is left between the two is the SDK's own work per call.
 */
class RawJdkClient(
    baseUrl: String,
    sslContext: SSLContext? = null,
    private val token: String = Fixtures.TOKEN,
    directExecutor: Boolean = false,
) {
    private val apiUrl = "$baseUrl/api/data/v9.2"
    private val userAgent = "raw-jdk-benchmark/1.0 (Java ${System.getProperty("java.version")}; ${System.getProperty("os.name")})"

    private val http: HttpClient = HttpClient.newBuilder()
        .apply { if (baseUrl.startsWith("http://")) version(HttpClient.Version.HTTP_1_1) }
        .apply { sslContext?.let(::sslContext) }
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .apply { if (directExecutor) executor(Runnable::run) }
        .build()

    suspend fun get(entitySet: String, id: UUID): JsonObject =
        readRecord(entitySet, id, runInterruptible(Dispatchers.IO) { http.send(getRequest(entitySet, id), HttpResponse.BodyHandlers.ofString()) })

    fun getBlocking(entitySet: String, id: UUID): JsonObject =
        readRecord(entitySet, id, http.send(getRequest(entitySet, id), HttpResponse.BodyHandlers.ofString()))

    suspend fun create(entitySet: String, primaryId: String, values: Map<String, Any?>): UUID {
        val request = createRequest(entitySet, primaryId, values)
        return readCreated(entitySet, runInterruptible(Dispatchers.IO) { http.send(request, HttpResponse.BodyHandlers.ofString()) })
    }

    fun createBlocking(entitySet: String, primaryId: String, values: Map<String, Any?>): UUID =
        readCreated(entitySet, http.send(createRequest(entitySet, primaryId, values), HttpResponse.BodyHandlers.ofString()))

    // `If-None-Match: null` as the SDK sends on every read (Learn recommends it: it bypasses cached results).
    private fun getRequest(entitySet: String, id: UUID): HttpRequest =
        request("$apiUrl/$entitySet($id)").header("If-None-Match", "null").GET().build()

    private fun createRequest(entitySet: String, primaryId: String, values: Map<String, Any?>): HttpRequest {
        val json = JsonObject(values.mapValues { (_, value) -> toJson(value) } + (primaryId to JsonPrimitive(UUID.randomUUID().toString())))
        return request("$apiUrl/$entitySet")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
            .build()
    }

    private fun readRecord(entitySet: String, id: UUID, response: HttpResponse<String>): JsonObject {
        check(response.statusCode() == 200) { "GET $entitySet($id) answered ${response.statusCode()}: ${response.body().take(300)}" }
        return Json.parseToJsonElement(response.body()).jsonObject
    }

    private fun readCreated(entitySet: String, response: HttpResponse<String>): UUID {
        check(response.statusCode() in 200..299) { "POST $entitySet answered ${response.statusCode()}: ${response.body().take(300)}" }
        return entityId(response.headers().firstValue("OData-EntityId").orElse(null))
    }

    private fun request(url: String): HttpRequest.Builder = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer $token")
        .header("Accept", "application/json")
        .header("OData-MaxVersion", "4.0")
        .header("OData-Version", "4.0")
        .header("User-Agent", userAgent)
        .header("x-ms-client-request-id", UUID.randomUUID().toString())
        .header("x-ms-correlation-id", UUID.randomUUID().toString())

    companion object {
        private val ENTITY_ID = Regex("\\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\)\\s*$")

        /** The GUID at the end of an `OData-EntityId` header. */
        fun entityId(header: String?): UUID {
            val match = ENTITY_ID.find(checkNotNull(header) { "no OData-EntityId header" }) ?: error("bad OData-EntityId '$header'")
            return UUID.fromString(match.groupValues[1])
        }

        /** The few value types the benchmark payloads use. */
        fun toJson(value: Any?): JsonElement = when (value) {
            null -> JsonNull
            is String -> JsonPrimitive(value)
            is Number -> JsonPrimitive(value)
            is Boolean -> JsonPrimitive(value)
            else -> error("unsupported value type ${value.javaClass.name}")
        }
    }
}
