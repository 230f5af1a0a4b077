package dev.dataverse.codegen.internal

/**
 * The types and reads of a custom API's parameters and response properties in generated code: the same in Kotlin and
 * Java but for the spelling of an integer and of string literals, so both emitters take them from here.
 */
internal class ApiValueTypes(private val kotlin: Boolean) {
    /** A request parameter's type: entities go as [dev.dataverse.MessageEntity]. */
    fun requestType(value: GenApiValue): String = when (value.type) {
        ApiType.ENTITY -> "MessageEntity"
        ApiType.ENTITY_COLLECTION -> "List<MessageEntity>"
        else -> responseType(value)
    }

    /** A response property's type. */
    fun responseType(value: GenApiValue): String = when (value.type) {
        ApiType.BOOLEAN -> "Boolean"
        ApiType.DATE_TIME -> "Instant"
        ApiType.DECIMAL, ApiType.MONEY -> "BigDecimal"
        ApiType.ENTITY -> "DataverseRecord"
        ApiType.ENTITY_COLLECTION -> "List<DataverseRecord>"
        ApiType.ENTITY_REFERENCE -> "EntityReference"
        ApiType.FLOAT -> "Double"
        ApiType.INTEGER, ApiType.PICKLIST -> if (kotlin) "Int" else "Integer"
        ApiType.STRING -> "String"
        ApiType.STRING_ARRAY -> "List<String>"
        ApiType.GUID -> "UUID"
    }

    /** The expression that reads a response property from the message result's `record`. */
    fun readProperty(value: GenApiValue): String {
        val name = Names.literal(value.uniqueName, kotlin)
        return when (value.type) {
            ApiType.BOOLEAN -> "record.getBoolean($name)"
            ApiType.DATE_TIME -> "record.getInstant($name)"
            ApiType.DECIMAL, ApiType.MONEY -> "record.getDecimal($name)"
            ApiType.ENTITY -> "record.getExpanded($name)"
            ApiType.ENTITY_COLLECTION -> "record.getExpandedList($name)"
            ApiType.ENTITY_REFERENCE -> "MessageValues.reference(record, $name, ${value.table?.let { Names.literal(it, kotlin) } ?: "null"})"
            ApiType.FLOAT -> "record.getDouble($name)"
            ApiType.INTEGER, ApiType.PICKLIST -> "record.getInt($name)"
            ApiType.STRING -> "record.getString($name)"
            ApiType.STRING_ARRAY -> "MessageValues.strings(record, $name)"
            ApiType.GUID -> "record.getUuid($name)"
        }
    }
}
