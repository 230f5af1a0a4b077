package dev.dataverse.internal

import dev.dataverse.MalformedResponseException
import dev.dataverse.MessageKind
import dev.dataverse.MessageRequest
import dev.dataverse.MessageResult
import dev.dataverse.Messages
import dev.dataverse.Response
import dev.dataverse.WhoAmI
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.MessageCodec
import dev.dataverse.internal.protocol.MessageParameters
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.longOrNull

/** [Messages] over the transport: the generic call, and the standard messages built on it. */
internal class RealMessages(private val transport: HttpTransport, private val tables: TableMetadataCache) : Messages {

    override suspend fun execute(request: MessageRequest): MessageResult =
        operation(transport, "messages.execute", request.binding.table) { exchange(request).value }

    override suspend fun executeWithResponse(request: MessageRequest): Response<MessageResult> =
        operation(transport, "messages.executeWithResponse", request.binding.table) { exchange(request) }

    private suspend fun exchange(request: MessageRequest): RealResponse<MessageResult> {
        val call = MessageParameters.call(request, resolve(MessageParameters.tablesOf(request)))
        val response = (request.options?.let { transport.withOptions(it) } ?: transport).send(MessageCodec.request(call))
        return RealResponse.of(response, MessageCodec.result(response))
    }

    override suspend fun whoAmI(): WhoAmI = operation(transport, "whoAmI") {
        Responses.whoAmI(Body.of(execute(MessageRequest("WhoAmI", MessageKind.FUNCTION)).jsonText() ?: missing("WhoAmI")))
    }

    override suspend fun retrieveVersion(): String = operation(transport, "messages.retrieveVersion") {
        val response = execute(MessageRequest("RetrieveVersion", MessageKind.FUNCTION))
        (response.toMap()["Version"] as? String) ?: missing("RetrieveVersion")
    }

    override suspend fun retrieveTotalRecordCount(tables: List<String>): Map<String, Long> = operation(transport, "messages.retrieveTotalRecordCount") {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (tables == null || tables.isEmpty()) throw dev.dataverse.InvalidInputException("'tables' needs at least one table.")
        val names = tables.map { TableName.of(it).value }
        val response = execute(MessageRequest("RetrieveTotalRecordCount", MessageKind.FUNCTION, mapOf("EntityNames" to names)))
        // Learn (RetrieveTotalRecordCount function): EntityRecordCountCollection {Count, IsReadOnly, Keys[], Values[]}.
        val collection = Responses.jsonObject(Body.of(response.jsonText() ?: missing("RetrieveTotalRecordCount")), "RetrieveTotalRecordCount")["EntityRecordCountCollection"] as? JsonObject
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
        val resolved = names.associateWith { tables.get(TableName.of(it)) }
        return { resolved.getValue(it) }
    }

    private fun missing(message: String): Nothing =
        throw MalformedResponseException("The $message response does not have the shape Learn documents.")
}
