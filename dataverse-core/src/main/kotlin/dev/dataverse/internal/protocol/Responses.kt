package dev.dataverse.internal.protocol

import dev.dataverse.DataverseRecord
import dev.dataverse.MalformedResponseException
import dev.dataverse.Page
import dev.dataverse.WhoAmI
import dev.dataverse.internal.protocol.json.DecodedList
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonReader
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.longOrNull
import java.util.UUID

/**
 * Decoding of successful responses, straight from their bytes. Anything not of the expected shape becomes a
 * [MalformedResponseException].
 *
 * ## Pages
 * A collection is read in one pass that checks the whole document and notes where each item of `value` starts; the
 * items are decoded when they are read ([DecodedList]). So a page costs its bytes and an offset per record, never a
 * String of the body or a tree of all its records, and a record is a tree only while someone holds it.
 */
internal object Responses {
    /**
     * The id of the record a write touched, from its `OData-EntityId` (or `Location`) [header] (see [EntityIdHeaders]):
     * `null` when there is no header, when it names the record by an alternate key (which carries no id), or when it
     * cannot be read. The write was applied in every case, so none of these is an error. When the request named the
     * record's id ([expected]: the id the client gave a create, or the key's own id), a header naming another record is
     * refused: it answers some other request, and returning its id would point the caller at a record it did not write.
     *
     * @throws MalformedResponseException when the header names a record other than [expected].
     */
    fun entityId(header: String?, primaryIdAttribute: String, expected: UUID? = null): UUID? {
        val parsed = header?.let { EntityIdHeaders.parse(it, primaryIdAttribute) } as? EntityIdHeader.Id ?: return null
        if (expected != null && parsed.id != expected) {
            throw MalformedResponseException("The OData-EntityId header names record ${parsed.id}, but the request wrote record $expected.")
        }
        return parsed.id
    }

    /** The body as one JSON object. */
    fun jsonObject(body: Body, what: String): JsonObject = JsonDocuments.obj(body, what)

    fun record(body: Body, table: String, primaryIdAttribute: String): DataverseRecord =
        DataverseRecord(table, primaryIdAttribute, jsonObject(body, "record"))

    /** One page of a collection: `value`, `@odata.nextLink`, `@odata.count`, the count-limit annotation. */
    fun page(body: Body, table: String, primaryIdAttribute: String): Page {
        val collection = collection(body, "collection", PAGE_MEMBERS)
        val records = collection.items.list(body.bytes, body.to) { reader -> DataverseRecord(table, primaryIdAttribute, reader.nextObject()) }
        val members = collection.members
        return Page(
            records,
            JsonDocuments.stringOrNull(members[NEXT_LINK]),
            (members[COUNT] as? JsonPrimitive)?.longOrNull,
            (members[COUNT_LIMIT_EXCEEDED] as? JsonPrimitive)?.booleanOrNull ?: false,
        )
    }

    /**
     * A collection: the offsets of the objects in its `value` array (checked to be objects), and the [wanted] members
     * beside it, as trees (they are small: links, counts, annotations). Other members are checked and skipped.
     */
    fun collection(body: Body, what: String, wanted: Set<String>, itemCheck: ((JsonReader) -> Unit)? = null): Collection =
        JsonDocuments.read(body, what) { reader ->
            if (reader.peek() != JsonReader.Kind.OBJECT) throw JsonDocuments.notAnObject(what)
            reader.beginObject()
            var items: DecodedList.Offsets? = null
            val members = HashMap<String, kotlinx.serialization.json.JsonElement>()
            while (reader.hasNext()) {
                val name = reader.nextName()
                when {
                    name == VALUE -> items = if (reader.peek() == JsonReader.Kind.ARRAY) objects(reader, what, itemCheck) else {
                        reader.skipValue()
                        null
                    }
                    name in wanted -> members[name] = reader.nextElement()
                    else -> reader.skipValue()
                }
            }
            reader.endObject()
            Collection(items ?: throw MalformedResponseException("The $what response has no 'value' array."), members)
        }

    /** The members of a collection a decoder asked for, and where its items start. */
    class Collection(val items: DecodedList.Offsets, val members: Map<String, kotlinx.serialization.json.JsonElement>)

    /**
     * The offsets of the items of the array at the reader, each checked to be an object; [itemCheck], when given, reads
     * each item itself (checking what a decoder must find in it, skipping the rest), else the item is skipped.
     */
    private fun objects(reader: JsonReader, what: String, itemCheck: ((JsonReader) -> Unit)?): DecodedList.Offsets {
        val offsets = DecodedList.Offsets()
        reader.beginArray()
        while (reader.hasNext()) {
            if (reader.peek() != JsonReader.Kind.OBJECT) {
                throw MalformedResponseException("An item of the $what response's 'value' array is not a JSON object (item ${offsets.size}).")
            }
            val start = reader.position
            if (itemCheck == null) reader.skipValue() else itemCheck(reader)
            offsets.add(start)
        }
        reader.endArray()
        return offsets
    }

    fun whoAmI(body: Body): WhoAmI {
        val root = jsonObject(body, "WhoAmI")
        return WhoAmI(root.guid("UserId"), root.guid("BusinessUnitId"), root.guid("OrganizationId"))
    }

    fun JsonObject.requiredString(name: String, what: String): String =
        optionalString(name) ?: throw MalformedResponseException("The $what response lacks the string '$name'.")

    fun JsonObject.optionalString(name: String): String? =
        (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun JsonObject.guid(name: String): UUID {
        val text = requiredString(name, "WhoAmI")
        return parseGuidOrNull(text) ?: throw MalformedResponseException("'$name' is not a GUID: ${Identifiers.quote(text)}")
    }

    const val VALUE = "value"
    const val NEXT_LINK = "@odata.nextLink"
    const val ETAG = "@odata.etag"
    private const val COUNT = "@odata.count"
    private const val COUNT_LIMIT_EXCEEDED = "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"
    private val PAGE_MEMBERS = setOf(NEXT_LINK, COUNT, COUNT_LIMIT_EXCEEDED)
}
