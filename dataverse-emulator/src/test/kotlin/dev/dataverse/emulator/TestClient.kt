package dev.dataverse.emulator

import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.request.header
import io.ktor.client.request.request
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.Headers
import io.ktor.http.HttpMethod
import io.ktor.http.content.TextContent
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/** A response as the tests inspect it. */
class TestResponse(val status: Int, val headers: Headers, val text: String) {
    val json: JsonObject get() = Json.parseToJsonElement(text).jsonObject

    /** `value` of a collection response. */
    val values: List<JsonObject> get() = json.getValue("value").jsonArray.map { it.jsonObject }

    /** The `error.code` of an error body. */
    val errorCode: String get() = json.getValue("error").jsonObject.getValue("code").jsonPrimitive.content

    /** The `error.message` of an error body. */
    val errorMessage: String get() = json.getValue("error").jsonObject.getValue("message").jsonPrimitive.content

    override fun toString(): String = "HTTP $status $text"
}

/** Text of a JSON property, or null when absent or JSON null. */
fun JsonObject.text(name: String): String? = (this[name] as? JsonPrimitive)?.contentOrNull

/** The array property [name]. */
fun JsonObject.array(name: String): JsonArray = getValue(name).jsonArray

/**
 * Talks to an emulator over real HTTP with a Ktor CIO client, sending the headers the Python SDK sends.
 * Paths are relative to the API root unless they start with `http`.
 */
class TestClient(private val emulator: DataverseEmulator, private val token: String? = "test-token") : AutoCloseable {
    private val http = HttpClient(CIO) { expectSuccess = false }

    suspend fun send(
        method: HttpMethod,
        path: String,
        body: String? = null,
        headers: Map<String, String> = emptyMap(),
    ): TestResponse {
        val url = if (path.startsWith("http")) path else "${emulator.apiUrl}/$path"
        val response = http.request(url) {
            this.method = method
            if (token != null) header("Authorization", "Bearer $token")
            header("Accept", "application/json")
            header("OData-MaxVersion", "4.0")
            header("OData-Version", "4.0")
            headers.forEach { (name, value) -> header(name, value) }
            if (body != null) setBody(TextContent(body, ContentType.Application.Json))
        }
        return TestResponse(response.status.value, response.headers, response.bodyAsText())
    }

    /** Sends [body] with its own [contentType] (e.g. a `$batch` multipart body). */
    suspend fun sendRaw(
        method: HttpMethod,
        path: String,
        body: String,
        contentType: String,
        headers: Map<String, String> = emptyMap(),
    ): TestResponse {
        val url = if (path.startsWith("http")) path else "${emulator.apiUrl}/$path"
        val response = http.request(url) {
            this.method = method
            if (token != null) header("Authorization", "Bearer $token")
            header("OData-Version", "4.0")
            headers.forEach { (name, value) -> header(name, value) }
            setBody(TextContent(body, ContentType.parse(contentType)))
        }
        return TestResponse(response.status.value, response.headers, response.bodyAsText())
    }

    /** Posts a `$batch` body built with [boundary]. */
    suspend fun batch(body: String, boundary: String, headers: Map<String, String> = emptyMap()): TestResponse =
        sendRaw(HttpMethod.Post, "\$batch", body, "multipart/mixed; boundary=\"$boundary\"", headers)

    suspend fun get(path: String, headers: Map<String, String> = emptyMap()): TestResponse = send(HttpMethod.Get, path, null, headers)

    suspend fun post(path: String, body: String, headers: Map<String, String> = emptyMap()): TestResponse =
        send(HttpMethod.Post, path, body, headers)

    suspend fun patch(path: String, body: String, headers: Map<String, String> = emptyMap()): TestResponse =
        send(HttpMethod.Patch, path, body, headers)

    suspend fun put(path: String, body: String, headers: Map<String, String> = emptyMap()): TestResponse =
        send(HttpMethod.Put, path, body, headers)

    suspend fun delete(path: String, headers: Map<String, String> = emptyMap()): TestResponse = send(HttpMethod.Delete, path, null, headers)

    /** Creates a record and returns its id, read from `OData-EntityId`. */
    suspend fun create(set: String, body: String): String {
        val response = post(set, body)
        check(response.status == 204) { "create failed: $response" }
        return response.headers["OData-EntityId"]!!.substringAfterLast('(').removeSuffix(")")
    }

    /**
     * Creates the alternate key `new_AccountNumberKey` on `account.accountnumber`, as a user does on a fresh org where no
     * table has one (Learn: "Retrieve a table row using the Web API"), and waits until its index is Active.
     */
    suspend fun createAccountNumberKey() {
        val created = post(
            "EntityDefinitions(LogicalName='account')/Keys",
            """{"SchemaName":"new_AccountNumberKey","KeyAttributes":["accountnumber"],"DisplayName":{"LocalizedLabels":[{"Label":"Account Number Key","LanguageCode":1033}]}}""",
        )
        check(created.status == 204) { "creating the account number key failed: $created" }
        // Polled, not timed: the index becomes Active after the emulator's keyActivationDelayMillis.
        repeat(KEY_POLLS) {
            val status = get("EntityDefinitions(LogicalName='account')/Keys(LogicalName='new_accountnumberkey')").json.text("EntityKeyIndexStatus")
            check(status != "Failed") { "the account number key failed" }
            if (status == "Active") return
            kotlinx.coroutines.delay(KEY_POLL_MILLIS)
        }
        error("the account number key never became Active")
    }

    override fun close() {
        http.close()
    }

    companion object {
        private const val KEY_POLLS = 12_000
        private const val KEY_POLL_MILLIS = 10L
        val representation = mapOf("Prefer" to "return=representation")
        val allAnnotations = mapOf("Prefer" to "odata.include-annotations=\"*\"")

        /** Percent-encodes every byte except RFC 3986 unreserved characters. */
        fun encode(text: String): String = buildString {
            for (byte in text.toByteArray(Charsets.UTF_8)) {
                val char = (byte.toInt() and 0xFF).toChar()
                if (char.isLetterOrDigit() && char.code < 128 || char in "-._~") append(char) else append("%%%02X".format(byte.toInt() and 0xFF))
            }
        }

        /** A JSON string literal. */
        fun quote(text: String): String = JsonPrimitive(text).toString()

        fun element(text: String): JsonElement = Json.parseToJsonElement(text)
    }
}
