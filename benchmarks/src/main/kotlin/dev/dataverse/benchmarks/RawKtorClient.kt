package dev.dataverse.benchmarks

import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.request.HttpRequestBuilder
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.content.TextContent
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import java.util.UUID

/**
 * The baseline of scenario 1: a hand-written Web API client on Ktor doing exactly the HTTP calls the SDK makes — same
 * URLs, same headers (Authorization, Accept, OData-Version/MaxVersion, User-Agent, a fresh x-ms-client-request-id and
 * x-ms-correlation-id per call), same body, the same JSON parsing of the result into a `JsonObject`, and the same CIO
 * engine configuration (pool of 64, keep-alive 60 s, timeouts, no redirects). What it lacks is everything the SDK adds:
 * validation, metadata lookup, token cache, retries, the adaptive concurrency limiter, typed errors.
 */
class RawKtorClient(baseUrl: String, private val token: String = Fixtures.TOKEN) : AutoCloseable {
    private val apiUrl = "$baseUrl/api/data/v9.2"
    private val userAgent = "raw-ktor-benchmark/1.0 (Java ${System.getProperty("java.version")}; ${System.getProperty("os.name")})"

    private val http = HttpClient(CIO) {
        engine {
            maxConnectionsCount = 64
            requestTimeout = 120_000
            endpoint.maxConnectionsPerRoute = 64
            endpoint.connectTimeout = 10_000
            endpoint.keepAliveTime = 60_000
        }
        expectSuccess = false
        followRedirects = false
        install(HttpTimeout) {
            requestTimeoutMillis = 120_000
            connectTimeoutMillis = 10_000
        }
    }

    /** `GET {set}({id})`, parsed. */
    suspend fun get(entitySet: String, id: UUID): JsonObject {
        val response = http.get("$apiUrl/$entitySet($id)") { standardHeaders() }
        val body = response.bodyAsText()
        check(response.status.value == 200) { "GET $entitySet($id) answered ${response.status}: ${body.take(300)}" }
        return Json.parseToJsonElement(body).jsonObject
    }

    /** `POST {set}` with a client-assigned primary id, as the SDK sends creates; returns the id from `OData-EntityId`. */
    suspend fun create(entitySet: String, primaryId: String, values: Map<String, Any?>): UUID {
        val id = UUID.randomUUID()
        val json = JsonObject(values.mapValues { (_, value) -> toJson(value) } + (primaryId to JsonPrimitive(id.toString())))
        val response = http.post("$apiUrl/$entitySet") {
            standardHeaders()
            setBody(TextContent(json.toString(), ContentType.Application.Json))
        }
        val body = response.bodyAsText()
        check(response.status.value in 200..299) { "POST $entitySet answered ${response.status}: ${body.take(300)}" }
        return entityId(response.headers["OData-EntityId"])
    }

    private fun HttpRequestBuilder.standardHeaders() {
        header("Authorization", "Bearer $token")
        header("Accept", "application/json")
        header("OData-MaxVersion", "4.0")
        header("OData-Version", "4.0")
        header("User-Agent", userAgent)
        header("x-ms-client-request-id", UUID.randomUUID().toString())
        header("x-ms-correlation-id", UUID.randomUUID().toString())
    }

    override fun close() = http.close()

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
