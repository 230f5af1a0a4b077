package dev.dataverse.jackson2

import com.fasterxml.jackson.core.JsonGenerator
import com.fasterxml.jackson.core.JsonParser
import com.fasterxml.jackson.databind.DeserializationContext
import com.fasterxml.jackson.databind.SerializerProvider
import com.fasterxml.jackson.databind.deser.std.StdDeserializer
import com.fasterxml.jackson.databind.module.SimpleModule
import com.fasterxml.jackson.databind.ser.std.StdSerializer
import dev.dataverse.BulkResult
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.Page
import dev.dataverse.jackson.internal.DataverseFormats
import dev.dataverse.jackson.internal.Jackson2

/**
 * JSON for the client's values in Jackson 2 (`com.fasterxml.jackson`, Spring Boot 3's): the same JSON as
 * [dev.dataverse.jackson.DataverseJacksonModule] writes and reads for Jackson 3 — see there for the forms. Register it on
 * an `ObjectMapper`, or let `findAndRegisterModules()` find it (it is a `Module` service); the Spring Boot starter
 * registers it as a bean when Jackson 2 is present.
 *
 * ```java
 * ObjectMapper mapper = new ObjectMapper().registerModule(new DataverseJackson2Module());
 * ```
 */
public class DataverseJackson2Module : SimpleModule(NAME) {
    init {
        addSerializer(DataverseRecord::class.java, RecordSerializer())
        addDeserializer(DataverseRecord::class.java, RecordDeserializer())
        addSerializer(Page::class.java, PageSerializer())
        addDeserializer(Page::class.java, PageDeserializer())
        addSerializer(BulkResult::class.java, BulkResultSerializer())
        addSerializer(EntityReference::class.java, EntityReferenceSerializer())
        addDeserializer(EntityReference::class.java, EntityReferenceDeserializer())
    }

    /** One registration per mapper, whatever the number of instances registered. */
    override fun getTypeId(): Any = NAME

    private class RecordSerializer : StdSerializer<DataverseRecord>(DataverseRecord::class.java) {
        override fun serialize(value: DataverseRecord, gen: JsonGenerator, provider: SerializerProvider) =
            DataverseFormats.writeRecord(value, Jackson2.Out(gen))
    }

    private class RecordDeserializer : StdDeserializer<DataverseRecord>(DataverseRecord::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): DataverseRecord =
            DataverseFormats.readRecord(Jackson2.In(p, ctxt, DataverseRecord::class.java))
    }

    private class PageSerializer : StdSerializer<Page>(Page::class.java) {
        override fun serialize(value: Page, gen: JsonGenerator, provider: SerializerProvider) = DataverseFormats.writePage(value, Jackson2.Out(gen))
    }

    private class PageDeserializer : StdDeserializer<Page>(Page::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): Page =
            DataverseFormats.readPage(Jackson2.In(p, ctxt, Page::class.java))
    }

    private class BulkResultSerializer : StdSerializer<BulkResult>(BulkResult::class.java) {
        override fun serialize(value: BulkResult, gen: JsonGenerator, provider: SerializerProvider) =
            DataverseFormats.writeBulkResult(value, Jackson2.Out(gen))
    }

    private class EntityReferenceSerializer : StdSerializer<EntityReference>(EntityReference::class.java) {
        override fun serialize(value: EntityReference, gen: JsonGenerator, provider: SerializerProvider) =
            DataverseFormats.writeEntityReference(value, Jackson2.Out(gen))
    }

    private class EntityReferenceDeserializer : StdDeserializer<EntityReference>(EntityReference::class.java) {
        override fun deserialize(p: JsonParser, ctxt: DeserializationContext): EntityReference =
            DataverseFormats.readEntityReference(Jackson2.In(p, ctxt, EntityReference::class.java))
    }

    public companion object {
        /** The module's name and registration id. */
        public const val NAME: String = "dev.dataverse.jackson2"
    }
}
