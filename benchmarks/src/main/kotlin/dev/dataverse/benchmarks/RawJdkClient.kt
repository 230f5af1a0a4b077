package dev.dataverse.benchmarks

import kotlinx.coroutines.future.await
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.UUID

/**
 * The baseline of scenario 2: the same calls as [RawKtorClient], straight on the JDK's `java.net.http.HttpClient` —
 * HTTP/1.1 (as the SDK's JDK engine uses over plain http), no redirects, 10 s connect and 120 s request timeouts —
 * awaited from coroutines (`sendAsync(...).await()`), so it runs at the same concurrency the same way.
 */
class RawJdkClient(baseUrl: String, private val token: String = Fixtures.TOKEN) : AutoCloseable {
    private val apiUrl = "$baseUrl/api/data/v9.2"
    private val userAgent = "raw-jdk-benchmark/1.0 (Java ${System.getProperty("java.version")}; ${System.getProperty("os.name")})"

    private val http: HttpClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    suspend fun get(entitySet: String, id: UUID): JsonObject {
        val request = request("$apiUrl/$entitySet($id)").GET().build()
        val response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).await()
        check(response.statusCode() == 200) { "GET $entitySet($id) answered ${response.statusCode()}: ${response.body().take(300)}" }
        return Json.parseToJsonElement(response.body()).jsonObject
    }

    suspend fun create(entitySet: String, primaryId: String, values: Map<String, Any?>): UUID {
        val id = UUID.randomUUID()
        val json = JsonObject(values.mapValues { (_, value) -> RawKtorClient.toJson(value) } + (primaryId to JsonPrimitive(id.toString())))
        val request = request("$apiUrl/$entitySet")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
            .build()
        val response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).await()
        check(response.statusCode() in 200..299) { "POST $entitySet answered ${response.statusCode()}: ${response.body().take(300)}" }
        return RawKtorClient.entityId(response.headers().firstValue("OData-EntityId").orElse(null))
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

    /** The JDK 17 client has no close(); its selector thread ends when the client is unreachable. */
    override fun close() {}
}
