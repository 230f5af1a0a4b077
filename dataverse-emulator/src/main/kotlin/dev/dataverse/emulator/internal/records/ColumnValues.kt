package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.StoredFile
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.JsonUnquotedLiteral
import java.math.BigDecimal
import java.math.RoundingMode
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.time.temporal.ChronoUnit
import java.util.UUID

/**
 * Conversions between JSON payload values, stored values and the normalized values filters and sorting
 * compare. Stored types: String (text), Int (integer, choice), Long (big integer), BigDecimal (money, decimal),
 * Boolean, Instant (date-time, whole seconds, UTC), LocalDate (date only), UUID and [LookupValue].
 */
internal object ColumnValues {
    private val GUID_TEXT = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    private val DATE_PREFIX = Regex("\\d{4}-\\d{2}-\\d{2}(T.*)?")

    /** The kind `$filter` and `$orderby` treat the column's values as. */
    fun kind(column: ColumnDefinition): ValueKind = when (column.type) {
        ColumnType.STRING, ColumnType.MEMO -> ValueKind.STRING
        ColumnType.INTEGER, ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS -> ValueKind.INT32
        ColumnType.BIG_INT -> ValueKind.INT64
        ColumnType.MONEY, ColumnType.DECIMAL, ColumnType.DOUBLE -> ValueKind.DECIMAL
        ColumnType.BOOLEAN -> ValueKind.BOOLEAN
        ColumnType.DATE_TIME -> ValueKind.DATE_TIME
        ColumnType.DATE_ONLY -> ValueKind.DATE
        ColumnType.MULTI_SELECT_PICKLIST -> ValueKind.STRING
        ColumnType.UNIQUE_IDENTIFIER, ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER, ColumnType.FILE, ColumnType.IMAGE -> ValueKind.GUID
    }

    /** A stored value as filters and sorting compare it (Long for integers, lowercase text for GUIDs). */
    fun normalize(value: Any?): Any? = when (value) {
        is Int -> value.toLong()
        is UUID -> value.toString()
        is LookupValue -> value.id.toString()
        is StoredFile -> value.id.toString()
        else -> value
    }

    /** A stored value as JSON. */
    @OptIn(ExperimentalSerializationApi::class)
    fun toJson(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is BigDecimal -> JsonUnquotedLiteral(value.toPlainString())
        is Number -> JsonPrimitive(value)
        is Instant -> JsonPrimitive(formatInstant(value))
        is LookupValue -> JsonPrimitive(value.id.toString())
        is StoredFile -> JsonPrimitive(value.id.toString())
        else -> JsonPrimitive(value.toString())
    }

    /** A date-time as the service writes it: `yyyy-MM-ddTHH:mm:ssZ`. */
    fun formatInstant(value: Instant): String = DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS))

    /** Validates a payload value for [column] of [table] and converts it to its stored form. */
    fun fromJson(table: TableDefinition, column: ColumnDefinition, element: JsonElement): Any? {
        if (column.type.isFile) throw fileNotWritable(table, column)
        if (element is JsonNull) return nullValue(table, column)
        val primitive = element as? JsonPrimitive ?: throw typeMismatch(element, column)
        return when (column.type) {
            ColumnType.STRING, ColumnType.MEMO -> text(table, column, primitive)
            ColumnType.INTEGER -> checkRange(table, column, integer(primitive, column)).toInt()
            ColumnType.BIG_INT -> integer(primitive, column)
            ColumnType.MONEY, ColumnType.DECIMAL, ColumnType.DOUBLE -> decimal(table, column, primitive)
            ColumnType.BOOLEAN -> primitive.takeUnless { it.isString }?.content?.toBooleanStrictOrNull() ?: throw typeMismatch(element, column)
            ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS -> option(table, column, integer(primitive, column))
            ColumnType.DATE_TIME -> dateTime(primitive, column)
            ColumnType.DATE_ONLY -> date(primitive, column)
            ColumnType.UNIQUE_IDENTIFIER -> guid(primitive, column)
            ColumnType.MULTI_SELECT_PICKLIST -> multiSelect(table, column, primitive)
            ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER, ColumnType.FILE, ColumnType.IMAGE -> throw typeMismatch(element, column)
        }
    }

    /** Parses GUID text strictly (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), or returns null. */
    fun parseGuid(text: String): UUID? = if (GUID_TEXT.matches(text)) UUID.fromString(text) else null

    /** Throws the service's validation error when [column] cannot be null (state and status). */
    fun requireNullable(table: TableDefinition, column: ColumnDefinition) {
        nullValue(table, column)
    }

    private fun nullValue(table: TableDefinition, column: ColumnDefinition): Any? {
        if (column.type == ColumnType.STATE || column.type == ColumnType.STATUS) {
            throw ApiErrors.validation("A validation error occurred.  The value of '${column.logicalName}' on record of type '${table.logicalName}' cannot be null.")
        }
        return null
    }

    private fun text(table: TableDefinition, column: ColumnDefinition, primitive: JsonPrimitive): String {
        if (!primitive.isString) throw typeMismatch(primitive, column)
        val value = primitive.content
        val maxLength = column.maxLength
        if (maxLength != null && value.length > maxLength) {
            throw ApiErrors.validation(
                "A validation error occurred.  The length of the '${column.logicalName}' attribute of the '${table.logicalName}' " +
                    "entity exceeded the maximum allowed length of '$maxLength'.",
            )
        }
        return value
    }

    private fun integer(primitive: JsonPrimitive, column: ColumnDefinition): Long {
        if (primitive.isString) throw typeMismatch(primitive, column)
        return primitive.content.toLongOrNull() ?: throw typeMismatch(primitive, column)
    }

    private fun decimal(table: TableDefinition, column: ColumnDefinition, primitive: JsonPrimitive): BigDecimal {
        if (primitive.isString) throw typeMismatch(primitive, column)
        val value = primitive.content.toBigDecimalOrNull() ?: throw typeMismatch(primitive, column)
        checkRange(table, column, value)
        return value.setScale(column.precision ?: 2, RoundingMode.HALF_EVEN)
    }

    private fun checkRange(table: TableDefinition, column: ColumnDefinition, value: Long): Long {
        checkRange(table, column, BigDecimal.valueOf(value))
        return value
    }

    private fun checkRange(table: TableDefinition, column: ColumnDefinition, value: BigDecimal) {
        val min = column.minValue ?: BigDecimal.valueOf(Int.MIN_VALUE.toLong())
        val max = column.maxValue ?: BigDecimal.valueOf(Int.MAX_VALUE.toLong())
        if (value < min || value > max) {
            throw ApiErrors.validation(
                "A validation error occurred.  The value ${value.toPlainString()} of '${column.logicalName}' on record of type " +
                    "'${table.logicalName}' is outside the valid range. Accepted Range: ${min.toPlainString()} to ${max.toPlainString()}",
            )
        }
    }

    private fun option(table: TableDefinition, column: ColumnDefinition, value: Long): Int {
        val option = value.takeIf { it in Int.MIN_VALUE..Int.MAX_VALUE }?.let { column.option(it.toInt()) }
            ?: throw ApiErrors.validation(
                "A validation error occurred.  The value $value of '${column.logicalName}' on record of type '${table.logicalName}' " +
                    "is outside the valid range.",
            )
        return option.value
    }

    /**
     * Multi-select values are comma-separated option values (`"100000000,100000001"`), stored in that canonical form
     * with duplicates removed and the client's order kept; an empty string clears the column as null does.
     */
    private fun multiSelect(table: TableDefinition, column: ColumnDefinition, primitive: JsonPrimitive): String? {
        if (!primitive.isString) throw typeMismatch(primitive, column)
        val text = primitive.content.trim()
        if (text.isEmpty()) return null
        val values = text.split(',').map { part ->
            val value = part.trim().toLongOrNull() ?: throw typeMismatch(primitive, column)
            option(table, column, value)
        }
        return values.distinct().joinToString(",")
    }

    /** The option values a stored multi-select value holds. */
    fun multiSelectValues(stored: String): List<Int> = stored.split(',').mapNotNull { it.trim().toIntOrNull() }

    private fun fileNotWritable(table: TableDefinition, column: ColumnDefinition) =
        ApiErrors.badRequest(
            "The ${column.type.attributeTypeName.removeSuffix("Type").lowercase()} column '${column.logicalName}' of '${table.logicalName}' " +
                "cannot be set in a create or update payload; upload its content with PATCH ${table.entitySetName}(<id>)/${column.logicalName}.",
        )

    private fun dateTime(primitive: JsonPrimitive, column: ColumnDefinition): Instant {
        if (!primitive.isString) throw typeMismatch(primitive, column)
        val text = primitive.content
        val instant = parseOrNull { OffsetDateTime.parse(text).toInstant() }
            ?: parseOrNull { LocalDateTime.parse(text).toInstant(ZoneOffset.UTC) }
            ?: parseOrNull { LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() }
            ?: throw typeMismatch(primitive, column)
        return instant.truncatedTo(ChronoUnit.SECONDS)
    }

    private fun date(primitive: JsonPrimitive, column: ColumnDefinition): LocalDate {
        val text = primitive.takeIf { it.isString }?.content
        if (text == null || !DATE_PREFIX.matches(text)) throw typeMismatch(primitive, column)
        return parseOrNull { LocalDate.parse(text.substring(0, 10)) } ?: throw typeMismatch(primitive, column)
    }

    private fun guid(primitive: JsonPrimitive, column: ColumnDefinition): UUID =
        primitive.takeIf { it.isString }?.content?.let(::parseGuid) ?: throw typeMismatch(primitive, column)

    private fun <T> parseOrNull(parse: () -> T): T? = try {
        parse()
    } catch (e: DateTimeParseException) {
        null
    }

    private fun typeMismatch(element: JsonElement, column: ColumnDefinition) =
        ApiErrors.validation(
            "Cannot convert the literal '${element.toString().removeSurrounding("\"")}' to the expected type '${kind(column).edmType}' " +
                "of the property '${column.logicalName}'.",
        )
}
