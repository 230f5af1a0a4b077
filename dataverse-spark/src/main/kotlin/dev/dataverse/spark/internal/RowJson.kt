package dev.dataverse.spark.internal

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.JsonUnquotedLiteral
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.util.ArrayData
import org.apache.spark.sql.catalyst.util.MapData
import org.apache.spark.sql.types.ArrayType
import org.apache.spark.sql.types.BinaryType
import org.apache.spark.sql.types.BooleanType
import org.apache.spark.sql.types.ByteType
import org.apache.spark.sql.types.DataType
import org.apache.spark.sql.types.DateType
import org.apache.spark.sql.types.Decimal
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.DoubleType
import org.apache.spark.sql.types.FloatType
import org.apache.spark.sql.types.IntegerType
import org.apache.spark.sql.types.LongType
import org.apache.spark.sql.types.MapType
import org.apache.spark.sql.types.ShortType
import org.apache.spark.sql.types.StringType
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.types.TimestampNTZType
import org.apache.spark.sql.types.TimestampType
import org.apache.spark.unsafe.types.UTF8String
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.ZoneOffset
import java.util.Base64

/**
 * A Spark row as the user wrote it, in JSON: for failure reports, which users read, fix and write again. Spark holds
 * values in internal forms (a timestamp as microseconds, a date as a day number, an array as `UnsafeArrayData`); these
 * come out as what they stand for — numbers as JSON numbers (decimals exactly), timestamps as ISO-8601 instants in UTC,
 * dates as ISO dates, arrays as arrays, structs and maps as objects, binary as Base64 — so that `spark.read.json` reads
 * the report back with the same values. Pure.
 */
internal object RowJson {
    /** The fields of [row] (of [schema]) by name. */
    fun of(row: InternalRow, schema: StructType): JsonObject {
        val fields = schema.fields()
        val content = LinkedHashMap<String, JsonElement>(fields.size * 2)
        for (i in fields.indices) {
            content[fields[i].name()] = if (row.isNullAt(i)) JsonNull else value(row.get(i, fields[i].dataType()), fields[i].dataType())
        }
        return JsonObject(content)
    }

    @OptIn(ExperimentalSerializationApi::class)
    private fun value(value: Any?, type: DataType): JsonElement = when {
        value == null -> JsonNull
        type is StringType -> JsonPrimitive((value as UTF8String).toString())
        type is IntegerType || type is LongType || type is ShortType || type is ByteType -> JsonPrimitive(value as Number)
        type is DoubleType || type is FloatType -> (value as Number).toDouble().let { if (it.isFinite()) JsonPrimitive(it) else JsonPrimitive(it.toString()) }
        type is BooleanType -> JsonPrimitive(value as Boolean)
        type is DecimalType -> JsonUnquotedLiteral((value as Decimal).toJavaBigDecimal().toPlainString())
        type is TimestampType -> JsonPrimitive(instant(value as Long).toString())
        type is TimestampNTZType -> JsonPrimitive(LocalDateTime.ofInstant(instant(value as Long), ZoneOffset.UTC).toString())
        type is DateType -> JsonPrimitive(LocalDate.ofEpochDay((value as Int).toLong()).toString())
        type is BinaryType -> JsonPrimitive(Base64.getEncoder().encodeToString(value as ByteArray))
        type is ArrayType -> (value as ArrayData).let { array ->
            JsonArray(List(array.numElements()) { i -> if (array.isNullAt(i)) JsonNull else value(array.get(i, type.elementType()), type.elementType()) })
        }
        type is StructType -> of(value as InternalRow, type)
        type is MapType -> (value as MapData).let { map ->
            val keys = map.keyArray()
            val values = map.valueArray()
            JsonObject(
                (0 until map.numElements()).associate { i ->
                    text(value(keys.get(i, type.keyType()), type.keyType())) to
                        (if (values.isNullAt(i)) JsonNull else value(values.get(i, type.valueType()), type.valueType()))
                },
            )
        }
        else -> JsonPrimitive(value.toString())
    }

    private fun text(element: JsonElement): String = (element as? JsonPrimitive)?.content ?: element.toString()

    private fun instant(micros: Long): Instant = Instant.ofEpochSecond(Math.floorDiv(micros, MICROS), Math.floorMod(micros, MICROS) * NANOS_PER_MICRO)

    private const val MICROS = 1_000_000L
    private const val NANOS_PER_MICRO = 1_000L
}
