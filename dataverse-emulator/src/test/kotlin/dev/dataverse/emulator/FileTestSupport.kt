package dev.dataverse.emulator

import dev.dataverse.emulator.internal.model.ColumnFactory
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.request.header
import io.ktor.client.request.request
import io.ktor.client.request.setBody
import io.ktor.client.statement.readRawBytes
import io.ktor.http.ContentType
import io.ktor.http.Headers
import io.ktor.http.HttpMethod
import io.ktor.http.content.ByteArrayContent
import io.ktor.http.content.TextContent
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlin.random.Random

/** A response whose body is kept as bytes (file content) and readable as text (errors). */
class BinaryResponse(val status: Int, val headers: Headers, val bytes: ByteArray) {
    val text: String get() = bytes.decodeToString()
    val json: JsonObject get() = Json.parseToJsonElement(text).jsonObject
    val errorCode: String get() = json.getValue("error").jsonObject["code"].toString().trim('"')

    override fun toString(): String = "HTTP $status ${if (bytes.size < 500) text else "<${bytes.size} bytes>"}"
}

/** Sends binary bodies to an emulator, as file uploads do. */
class FileTestClient(private val emulator: DataverseEmulator, private val token: String = "test-token") : AutoCloseable {
    private val http = HttpClient(CIO) { expectSuccess = false }

    suspend fun send(
        method: HttpMethod,
        path: String,
        body: ByteArray? = null,
        contentType: String = "application/octet-stream",
        headers: Map<String, String> = emptyMap(),
        json: String? = null,
    ): BinaryResponse {
        val url = if (path.startsWith("http")) path else "${emulator.apiUrl}/$path"
        val response = http.request(url) {
            this.method = method
            header("Authorization", "Bearer $token")
            headers.forEach { (name, value) -> header(name, value) }
            if (body != null) setBody(ByteArrayContent(body, ContentType.parse(contentType)))
            if (json != null) setBody(TextContent(json, ContentType.Application.Json))
        }
        return BinaryResponse(response.status.value, response.headers, response.readRawBytes())
    }

    override fun close() = http.close()
}

/** Adds file column `new_document` (limit [maxKb]) and image column `new_picture` to `account`, as a schema change would. */
fun DataverseEmulator.addFileColumns(maxKb: Int = 64) {
    if (context.catalog.table("account")!!.column("new_document") != null) return
    val factory = ColumnFactory("account")
    context.schema.addColumns(
        "account",
        factory.file("new_document", "new_Document", "Document", maxKb) + factory.file("new_picture", "new_Picture", "Picture", maxKb, image = true),
    )
}

fun randomBytes(size: Int, seed: Int = size): ByteArray = Random(seed).nextBytes(size)
