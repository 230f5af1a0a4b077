package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiReference
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.model.MetadataCatalog
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.intOrNull
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.util.UUID

/**
 * Converts message parameters between JSON and the Java values handlers see, by [CustomApiType]. A value of the wrong
 * type is refused with the OData conversion error; its wording follows the OData library's message for a literal of
 * the wrong type, a guess for Dataverse as a whole.
 */
internal class TypedValues(private val catalog: MetadataCatalog) {

    fun read(type: CustomApiType, value: JsonElement, name: String): Any? {
        if (value is JsonNull) return null
        val primitive = value as? JsonPrimitive
        return when (type) {
            CustomApiType.BOOLEAN -> primitive?.takeUnless { it.isString }?.booleanOrNull
            CustomApiType.STRING -> primitive?.takeIf { it.isString }?.content
            CustomApiType.INTEGER, CustomApiType.PICKLIST -> primitive?.takeUnless { it.isString }?.intOrNull
            CustomApiType.DECIMAL, CustomApiType.MONEY -> primitive?.takeUnless { it.isString }?.content?.toBigDecimalOrNull()
            CustomApiType.FLOAT -> primitive?.takeUnless { it.isString }?.content?.toDoubleOrNull()
            CustomApiType.GUID -> primitive?.takeIf { it.isString }?.content?.let(::guidOrNull)
            CustomApiType.DATE_TIME -> primitive?.takeIf { it.isString }?.content?.let(::instantOrNull)
            CustomApiType.STRING_ARRAY -> (value as? JsonArray)?.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: return wrong(type, value, name) }
            CustomApiType.ENTITY -> (value as? JsonObject)?.let(::toJava)
            CustomApiType.ENTITY_COLLECTION -> (value as? JsonArray)?.map { (it as? JsonObject)?.let(::toJava) ?: return wrong(type, value, name) }
            CustomApiType.ENTITY_REFERENCE -> (value as? JsonObject)?.let(::reference)
        } ?: wrong(type, value, name)
    }

    /** The JSON of a response property [value] of [type]; references get `@odata.type` and the table's primary id. */
    fun write(type: CustomApiType, value: Any?, name: String): JsonElement = when (value) {
        null -> JsonNull
        is CustomApiReference -> {
            val primaryId = catalog.table(value.table)?.primaryIdAttribute ?: "${value.table}id"
            JsonObject(mapOf("@odata.type" to JsonPrimitive("Microsoft.Dynamics.CRM.${value.table}"), primaryId to JsonPrimitive(value.id.toString())))
        }
        else -> json(value, name, type)
    }

    private fun json(value: Any?, name: String, type: CustomApiType): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Number -> JsonPrimitive(if (value is BigDecimal) value else BigDecimal(value.toString()))
        is UUID -> JsonPrimitive(value.toString())
        is Instant -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value))
        is OffsetDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
        is LocalDate -> JsonPrimitive(value.toString())
        is CustomApiReference -> write(CustomApiType.ENTITY_REFERENCE, value, name)
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to json(v, name, type) })
        is Iterable<*> -> JsonArray(value.map { json(it, name, type) })
        else -> throw IllegalStateException("The handler returned a ${value.javaClass.name} for response property '$name' ($type), which has no JSON form.")
    }

    private fun reference(json: JsonObject): CustomApiReference? {
        (json["@odata.id"] as? JsonPrimitive)?.content?.let { id ->
            val match = REFERENCE.find(id) ?: return null
            val table = catalog.tableBySet(match.groupValues[1]) ?: return null
            return guidOrNull(match.groupValues[2])?.let { CustomApiReference(table.logicalName, it) }
        }
        val type = (json["@odata.type"] as? JsonPrimitive)?.content?.removePrefix("#")?.removePrefix("Microsoft.Dynamics.CRM.") ?: return null
        val table = catalog.table(type) ?: return null
        val id = (json[table.primaryIdAttribute] as? JsonPrimitive)?.content?.let(::guidOrNull) ?: return null
        return CustomApiReference(table.logicalName, id)
    }

    private fun toJava(json: JsonObject): Map<String, Any?> = json.mapValues { (_, v) -> javaOf(v) }

    private fun javaOf(element: JsonElement): Any? = when (element) {
        JsonNull -> null
        is JsonObject -> toJava(element)
        is JsonArray -> element.map(::javaOf)
        is JsonPrimitive -> if (element.isString) element.content else element.booleanOrNull ?: element.content.toBigDecimalOrNull()
    }

    private fun guidOrNull(text: String): UUID? = text.takeIf { GUID.matches(it) }?.let(UUID::fromString)

    private fun instantOrNull(text: String): Instant? = try {
        OffsetDateTime.parse(text).toInstant()
    } catch (e: DateTimeParseException) {
        try {
            LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
        } catch (e2: DateTimeParseException) {
            null
        }
    }

    private fun wrong(type: CustomApiType, value: JsonElement, name: String): Nothing = throw ApiException(
        400, ErrorCodes.ODATA_ERROR,
        "Cannot convert the literal '${value.toString().take(100)}' to the expected type '${edmName(type)}' of parameter '$name'.",
    )

    private fun edmName(type: CustomApiType): String = when (type) {
        CustomApiType.BOOLEAN -> "Edm.Boolean"
        CustomApiType.DATE_TIME -> "Edm.DateTimeOffset"
        CustomApiType.DECIMAL -> "Edm.Decimal"
        CustomApiType.MONEY -> "Edm.Decimal"
        CustomApiType.FLOAT -> "Edm.Double"
        CustomApiType.INTEGER, CustomApiType.PICKLIST -> "Edm.Int32"
        CustomApiType.STRING -> "Edm.String"
        CustomApiType.STRING_ARRAY -> "Collection(Edm.String)"
        CustomApiType.GUID -> "Edm.Guid"
        CustomApiType.ENTITY -> "mscrm.crmbaseentity"
        CustomApiType.ENTITY_COLLECTION -> "Collection(mscrm.crmbaseentity)"
        CustomApiType.ENTITY_REFERENCE -> "mscrm.crmbaseentity"
    }

    private companion object {
        val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        val REFERENCE = Regex("([A-Za-z_][A-Za-z0-9_]*)\\(([0-9a-fA-F-]{36})\\)$")
    }
}
