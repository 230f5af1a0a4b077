package dev.dataverse.spark.internal

import dev.dataverse.ColumnTypeException
import dev.dataverse.DataverseRecord
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.catalyst.util.GenericArrayData
import org.apache.spark.sql.types.ArrayType
import org.apache.spark.sql.types.BooleanType
import org.apache.spark.sql.types.DataType
import org.apache.spark.sql.types.DateType
import org.apache.spark.sql.types.Decimal
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.DoubleType
import org.apache.spark.sql.types.FloatType
import org.apache.spark.sql.types.IntegerType
import org.apache.spark.sql.types.LongType
import org.apache.spark.sql.types.StringType
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.types.TimestampType
import org.apache.spark.unsafe.types.UTF8String
import java.math.BigDecimal
import java.time.LocalDate
import java.time.OffsetDateTime

/**
 * Converts records to Spark rows of [schema], one field per binding, reading the JSON the service sent (no detour
 * through maps). Values are converted to the field's Spark type; one that does not fit (a text in an int field, a
 * decimal beyond the field's precision) fails with [ColumnTypeException] naming the column, never silently.
 */
internal class RecordToRow(private val schema: StructType, private val bindings: List<ColumnBinding>) {
    private val types: Array<DataType> = schema.fields().map { it.dataType() }.toTypedArray()

    fun convert(record: DataverseRecord): InternalRow = convert(record.toJson(), record.table ?: "")

    /** The row of a record's JSON, as the service sent it, of [table]. */
    fun convert(json: JsonObject, table: String): InternalRow {
        val values = arrayOfNulls<Any>(bindings.size)
        for (i in bindings.indices) {
            val binding = bindings[i]
            val element: JsonElement? = when (binding.kind) {
                BindingKind.VALUE, BindingKind.LOOKUP_ID -> json[binding.wireName]
                BindingKind.CHOICE_LABEL -> json["${binding.wireName}@$FORMATTED_VALUE"]
                BindingKind.LOOKUP_TABLE -> json["${binding.wireName}@$LOOKUP_LOGICAL_NAME"]
            }
            values[i] = if (element == null || element is JsonNull) null else value(element, types[i], binding, table)
        }
        return GenericInternalRow(values)
    }

    private fun value(element: JsonElement, type: DataType, binding: ColumnBinding, table: String): Any {
        val primitive = element as? JsonPrimitive ?: mismatch(binding, table, element, type)
        val text = primitive.content
        return try {
            when (type) {
                is StringType -> UTF8String.fromString(text)
                is IntegerType -> text.toInt()
                is LongType -> text.toLong()
                is DoubleType -> text.toDouble()
                is FloatType -> text.toFloat()
                is BooleanType -> primitive.booleanOrNull ?: mismatch(binding, table, element, type)
                is DecimalType -> decimal(BigDecimal(text), type) ?: mismatch(binding, table, element, type)
                is TimestampType -> OffsetDateTime.parse(text).toInstant().let { Math.addExact(Math.multiplyExact(it.epochSecond, MICROS), it.nano / NANOS_PER_MICRO.toLong()) }
                is DateType -> LocalDate.parse(text.substringBefore('T')).toEpochDay().toInt()
                is ArrayType -> if (text.isBlank()) GenericArrayData(arrayOf<Any>()) else GenericArrayData(text.split(',').map { it.trim().toInt() }.toTypedArray<Any>())
                else -> mismatch(binding, table, element, type)
            }
        } catch (e: NumberFormatException) {
            mismatch(binding, table, element, type)
        } catch (e: java.time.DateTimeException) {
            mismatch(binding, table, element, type)
        }
    }

    private fun decimal(value: BigDecimal, type: DecimalType): Decimal? {
        val decimal = Decimal.apply(value)
        return if (decimal.changePrecision(type.precision(), type.scale())) decimal else null
    }

    private fun mismatch(binding: ColumnBinding, table: String, element: JsonElement, type: DataType): Nothing =
        throw ColumnTypeException(
            "Column '${binding.wireName}' of '$table' holds $element, which does not fit the Spark type ${type.simpleString()} of field '${binding.name}'.",
            binding.wireName,
            table,
        )

    private companion object {
        const val FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue"
        const val LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname"
        const val MICROS = 1_000_000L
        const val NANOS_PER_MICRO = 1_000
    }
}
