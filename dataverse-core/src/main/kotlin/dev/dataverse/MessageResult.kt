package dev.dataverse

import dev.dataverse.internal.protocol.JsonValues
import kotlinx.serialization.DeserializationStrategy
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject

/**
 * What a message returned: nothing (an action answering `204 No Content`), a complex type (e.g. `WhoAmIResponse`), an
 * entity, a collection (`value`), or a single primitive value (`value`).
 *
 * ```kotlin
 * val response = client.messages.execute(request)
 * val userId = response.toRecord().getUuid("UserId")            // complex type or entity
 * val typed: MyResponse = response.decode(MyResponse.serializer()) // your @Serializable class
 * ```
 * Immutable and safe to share between threads.
 */
public class MessageResult private constructor(
    /** The HTTP status the service answered (200, or 204 for no content). */
    public val status: Int,
    private val json: JsonObject?,
) {
    /** Whether the message returned nothing. */
    public val isEmpty: Boolean get() = json == null

    /**
     * The response as a record: a complex type's properties (e.g. `UserId` of `WhoAmIResponse`) or an entity's columns,
     * read with the typed getters of [DataverseRecord]. Its [DataverseRecord.table] is `null`: responses do not always
     * name it.
     *
     * @throws IllegalStateException when the message returned nothing.
     */
    public fun toRecord(): DataverseRecord = DataverseRecord(null, null, requireBody())

    /**
     * The records of a collection response (`value`), e.g. a function returning a collection of entities or complex types.
     *
     * @throws IllegalStateException when the response is not a collection of objects.
     */
    public fun records(): List<DataverseRecord> = when (val value = requireBody()["value"]) {
        is JsonArray -> value.map { item ->
            (item as? JsonObject)?.let { DataverseRecord(null, null, it) }
                ?: throw IllegalStateException("The message's 'value' holds $item, which is not an object.")
        }
        else -> throw IllegalStateException("The message's response has no collection 'value': ${json.toString().take(200)}")
    }

    /**
     * The `value` property as a plain Java value: a primitive result (`String`, `Boolean`, `Long`, `BigDecimal`) or a
     * collection of them as a `List`; `null` when the response has no `value`.
     */
    public fun value(): Any? = json?.get("value")?.takeUnless { it == JsonNull }?.let { JsonValues.toJava(it) }

    /** The whole response as plain Java values (see [DataverseRecord.toMap]); empty when the message returned nothing. */
    public fun toMap(): Map<String, Any?> = json?.let { JsonValues.toJava(it) } ?: emptyMap()

    /** The response's JSON text as the service sent it; `null` when the message returned nothing. */
    public fun jsonText(): String? = json?.toString()

    /**
     * Decodes the response into your own type, e.g. a `@Serializable` class. Unknown properties are ignored.
     *
     * @throws IllegalArgumentException when the response does not fit the type.
     * @throws IllegalStateException when the message returned nothing.
     */
    @JvmSynthetic
    public fun <T> decode(deserializer: DeserializationStrategy<T>): T = try {
        JsonValues.lenient.decodeFromJsonElement(deserializer, requireBody())
    } catch (e: SerializationException) {
        throw IllegalArgumentException("The message's response cannot be decoded as ${deserializer.descriptor.serialName}: ${e.message}", e)
    }

    private fun requireBody(): JsonObject = json ?: throw IllegalStateException("The message returned nothing (HTTP $status).")

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(status: Int, json: JsonObject?): MessageResult = MessageResult(status, json)
    }

    override fun toString(): String = "MessageResult($status${json?.let { ", ${it.toString().take(200)}" } ?: ""})"
}
