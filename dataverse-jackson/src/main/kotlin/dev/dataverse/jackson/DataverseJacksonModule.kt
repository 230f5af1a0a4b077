package dev.dataverse.jackson

import dev.dataverse.BulkResult
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.Page
import dev.dataverse.jackson.internal.DataverseFormats
import dev.dataverse.jackson.internal.Jackson3
import tools.jackson.core.JsonGenerator
import tools.jackson.core.JsonParser
import tools.jackson.databind.DeserializationContext
import tools.jackson.databind.SerializationContext
import tools.jackson.databind.deser.std.StdDeserializer
import tools.jackson.databind.module.SimpleModule
import tools.jackson.databind.ser.std.StdSerializer

/**
 * JSON for the client's values in Jackson 3 (`tools.jackson`, Spring Boot 4's default): register it on a `JsonMapper`,
 * or let `findAndAddModules()` find it (it is a `JacksonModule` service). The Spring Boot starter registers it as a
 * bean, so a controller can return a record, a page or a bulk result as they are. For Jackson 2 use
 * [dev.dataverse.jackson2.DataverseJackson2Module], which writes and reads the same JSON.
 *
 * | type | JSON | reads back |
 * |---|---|---|
 * | [DataverseRecord] | the object the Web API sent: every column and annotation (formatted values, lookup targets, `@odata.etag`), nested records of an `$expand`, numbers with their exact text (a decimal keeps its scale), plus `@dataverse.table` and `@dataverse.primaryidcolumn` | yes, as an equal record |
 * | [Page] | `records`, `continuationToken`, `totalCount`, `totalCountLimitExceeded`, `hasNext` | yes (`hasNext` follows from the token) |
 * | [BulkResult] | `size`, `succeeded`, `failed`, `notAttempted`, `success`, `outcomes` and `ids` by input position, `failures` (each `index` and `error`: `type`, `message`, `statusCode`, `errorCode`, `transient`) | no: it is a report (the inputs are not written) |
 * | [EntityReference] | `table`, `id` | yes |
 *
 * A record's values stay as the service wrote them: strings (text, and also dates `2024-05-31`, date-times
 * `2024-05-31T08:00:00Z` and GUIDs), numbers, booleans, `null`; a lookup is its `_<name>_value` GUID with its
 * annotations. No value is converted, so what reads back answers every getter as the original did.
 *
 * ```java
 * JsonMapper mapper = JsonMapper.builder().addModule(new DataverseJacksonModule()).build();
 * String json = mapper.writeValueAsString(record);
 * DataverseRecord same = mapper.readValue(json, DataverseRecord.class);
 * ```
 */
public class DataverseJacksonModule : SimpleModule(NAME) {
    init {
        addSerializer(DataverseRecord::class.java, RecordSerializer())
        addDeserializer(DataverseRecord::class.java, RecordDeserializer())
        addSerializer(Page::class.java, PageSerializer())
        addDeserializer(Page::class.java, PageDeserializer())
        addSerializer(BulkResult::class.java, BulkResultSerializer())
        addSerializer(EntityReference::class.java, EntityReferenceSerializer())
        addDeserializer(EntityReference::class.java, EntityReferenceDeserializer())
    }

    /** One registration per mapper, whatever the number of instances added. */
    override fun getRegistrationId(): Any = NAME

    private class RecordSerializer : StdSerializer<DataverseRecord>(DataverseRecord::class.java) {
        override fun serialize(value: DataverseRecord, gen: JsonGenerator, ctxt: SerializationContext) =
            DataverseFormats.writeRecord(value, Jackson3.Out(gen))
    }

    private class RecordDeserializer : StdDeserializer<DataverseRecord>(DataverseRecord::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): DataverseRecord =
            DataverseFormats.readRecord(Jackson3.In(p, ctxt, DataverseRecord::class.java))
    }

    private class PageSerializer : StdSerializer<Page>(Page::class.java) {
        override fun serialize(value: Page, gen: JsonGenerator, ctxt: SerializationContext) = DataverseFormats.writePage(value, Jackson3.Out(gen))
    }

    private class PageDeserializer : StdDeserializer<Page>(Page::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): Page =
            DataverseFormats.readPage(Jackson3.In(p, ctxt, Page::class.java))
    }

    private class BulkResultSerializer : StdSerializer<BulkResult>(BulkResult::class.java) {
        override fun serialize(value: BulkResult, gen: JsonGenerator, ctxt: SerializationContext) =
            DataverseFormats.writeBulkResult(value, Jackson3.Out(gen))
    }

    private class EntityReferenceSerializer : StdSerializer<EntityReference>(EntityReference::class.java) {
        override fun serialize(value: EntityReference, gen: JsonGenerator, ctxt: SerializationContext) =
            DataverseFormats.writeEntityReference(value, Jackson3.Out(gen))
    }

    private class EntityReferenceDeserializer : StdDeserializer<EntityReference>(EntityReference::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): EntityReference =
            DataverseFormats.readEntityReference(Jackson3.In(p, ctxt, EntityReference::class.java))
    }

    public companion object {
        /** The module's name and registration id. */
        public const val NAME: String = "dev.dataverse.jackson"
    }
}
