package dev.dataverse.internal

import dev.dataverse.MalformedResponseException
import dev.dataverse.MessageKind
import dev.dataverse.MessageRequest
import dev.dataverse.MessageResult
import dev.dataverse.Messages
import dev.dataverse.WhoAmI
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.MessageParameters
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.operation
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.longOrNull

/** [Messages] over the transport: the generic call, and the standard messages built on it. */
internal class RealMessages(private val transport: HttpTransport, private val tables: TableMetadataCache) : Messages {

    override suspend fun execute(request: MessageRequest): MessageResult = operation(transport, "messages.execute", request.binding.table) {
        val call = MessageParameters.call(request, resolve(MessageParameters.tablesOf(request)))
        val api = when (request.kind) {
            MessageKind.ACTION -> ApiRequest(HttpMethod.Post, call.target, body = RequestBody.Json(call.body!!))
            MessageKind.FUNCTION -> ApiRequest(HttpMethod.Get, call.target)
        }
        val response = (request.options?.let { transport.withOptions(it) } ?: transport).send(api)
        result(response.status, response.body)
    }

    override suspend fun whoAmI(): WhoAmI = operation(transport, "whoAmI") {
        Responses.whoAmI(execute(MessageRequest("WhoAmI", MessageKind.FUNCTION)).jsonText() ?: missing("WhoAmI"))
    }

    override suspend fun retrieveVersion(): String = operation(transport, "messages.retrieveVersion") {
        val response = execute(MessageRequest("RetrieveVersion", MessageKind.FUNCTION))
        (response.toMap()["Version"] as? String) ?: missing("RetrieveVersion")
    }

    override suspend fun retrieveTotalRecordCount(tables: List<String>): Map<String, Long> = operation(transport, "messages.retrieveTotalRecordCount") {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (tables == null || tables.isEmpty()) throw dev.dataverse.InvalidInputException("'tables' needs at least one table.")
        val names = tables.map { Identifiers.requireTable(it) }
        val response = execute(MessageRequest("RetrieveTotalRecordCount", MessageKind.FUNCTION, mapOf("EntityNames" to names)))
        // Learn (RetrieveTotalRecordCount function): EntityRecordCountCollection {Count, IsReadOnly, Keys[], Values[]}.
        val collection = Responses.jsonObject(response.jsonText() ?: missing("RetrieveTotalRecordCount"), "RetrieveTotalRecordCount")["EntityRecordCountCollection"] as? JsonObject
        val keys = collection?.get("Keys") as? JsonArray
        val values = collection?.get("Values") as? JsonArray
        if (keys == null || values == null || keys.size != values.size) missing("RetrieveTotalRecordCount")
        keys.zip(values).associateTo(LinkedHashMap()) { (key, value) ->
            val name = (key as? JsonPrimitive)?.takeIf { it.isString }?.content
            val count = (value as? JsonPrimitive)?.takeUnless { it.isString }?.longOrNull
            if (name == null || count == null) missing("RetrieveTotalRecordCount")
            name to count
        }
    }

    private suspend fun resolve(names: Set<String>): (String) -> TableMetadata {
        val resolved = names.associateWith { tables.get(it) }
        return { resolved.getValue(it) }
    }

    private fun missing(message: String): Nothing =
        throw MalformedResponseException("The $message response does not have the shape Learn documents.")

    companion object {
        /** A message's answer: nothing for 204 or an empty body, else the JSON object. */
        fun result(status: Int, body: String): MessageResult =
            MessageResult(status, if (status == 204 || body.isBlank()) null else Responses.jsonObject(body, "message"))
    }
}
