package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.RecordKey
import dev.dataverse.spark.internal.SchemaMapping.isLookup
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.types.ArrayType
import org.apache.spark.sql.types.BooleanType
import org.apache.spark.sql.types.ByteType
import org.apache.spark.sql.types.DataType
import org.apache.spark.sql.types.DateType
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.DoubleType
import org.apache.spark.sql.types.FloatType
import org.apache.spark.sql.types.IntegerType
import org.apache.spark.sql.types.LongType
import org.apache.spark.sql.types.ShortType
import org.apache.spark.sql.types.StringType
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.types.TimestampType
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/**
 * Turns Spark rows into the values, keys and ids of bulk inputs, following a [WritePlan]. A value that cannot be
 * written (a malformed GUID, a lookup without its target table) fails with [InvalidInputException] naming the field.
 */
internal class RowToInput(private val plan: WritePlan, private val schema: StructType) {
    private val types: Array<DataType> = schema.fields().map { it.dataType() }.toTypedArray()
    private val names: Array<String> = schema.fieldNames()

    /**
     * The column values of [row]. A null clears its column, or is left out with [WritePlan.ignoreNulls]; a null lookup
     * clears the lookup on update and upsert (`<navigation>@odata.bind: null`, Learn: "Associate and disassociate table
     * rows using the Web API") and is left out on create, where there is nothing to clear.
     *
     * @throws InvalidInputException when a read-only field of a catalog table's write holds a value.
     */
    fun values(row: InternalRow): Map<String, Any?> {
        for ((position, column) in plan.readOnlyFields) {
            if (!row.isNullAt(position)) {
                throw InvalidInputException(
                    "Column '$column' of '${plan.table}' is read-only on ${plan.operation.name.lowercase()}: its value cannot be written " +
                        "(leave it out of the statement's columns, or null).",
                )
            }
        }
        val values = LinkedHashMap<String, Any?>(plan.fields.size * 2)
        for (field in plan.fields) {
            if (row.isNullAt(field.position) && plan.ignoreNulls) continue
            if (field.type.isLookup) {
                lookup(row, field, values)
            } else {
                values[field.column] = value(row, field.position, field.type)
            }
        }
        return values
    }

    /** The primary id the row names, or `null`. */
    fun id(row: InternalRow): UUID? = plan.idField?.let { position -> if (row.isNullAt(position)) null else guid(row.getUTF8String(position).toString(), position) }

    /** The key of the record the row changes: its alternate key when the plan has one, else its primary id. */
    fun key(row: InternalRow): RecordKey {
        if (plan.keyFields.isNotEmpty()) {
            return RecordKey.alternate(
                plan.keyFields.associateTo(LinkedHashMap()) { (position, column) ->
                    column to (value(row, position, null) ?: throw InvalidInputException("The alternate key field '${names[position]}' is null."))
                },
            )
        }
        return RecordKey.id(id(row) ?: throw InvalidInputException("The primary id field '${plan.primaryId}' is null."))
    }

    /** [row] as the user wrote it, in JSON (see [RowJson]), for failure reports. */
    fun describe(row: InternalRow): String = RowJson.of(row, schema).toString()

    private fun lookup(row: InternalRow, field: WriteField, values: MutableMap<String, Any?>) {
        val name = names[field.position]
        val targetTable = field.tableField?.takeUnless { row.isNullAt(it) }?.let { row.getUTF8String(it).toString().lowercase() }
            ?: field.navigation.keys.singleOrNull()
        if (row.isNullAt(field.position)) {
            if (plan.operation == Operation.CREATE) return
            // Clearing a lookup: its navigation property bound to null (any of them clears the one column).
            val navigation = targetTable?.let { field.navigation[it] } ?: field.navigation.values.firstOrNull()
                ?: throw InvalidInputException("Lookup field '$name' has no navigation property in the table's relationships.")
            values["$navigation$BIND"] = null
            return
        }
        val id = guid(row.getUTF8String(field.position).toString(), field.position)
        val table = targetTable ?: throw InvalidInputException(
            "Lookup field '$name' can point to ${field.navigation.keys.sorted()}: set '$name${ColumnBinding.TABLE_SUFFIX}' to say which.",
        )
        val navigation = field.navigation[table]
            ?: throw InvalidInputException("Lookup field '$name' cannot point to table '$table'; it points to ${field.navigation.keys.sorted()}.")
        values[navigation] = EntityReference(table, id)
    }

    private fun value(row: InternalRow, position: Int, columnType: ColumnType?): Any? {
        if (row.isNullAt(position)) return null
        return when (val type = types[position]) {
            is StringType -> row.getUTF8String(position).toString().let { text ->
                if (columnType == ColumnType.UNIQUE_IDENTIFIER) guid(text, position) else text
            }
            is IntegerType -> row.getInt(position)
            is LongType -> row.getLong(position)
            is ShortType -> row.getShort(position).toInt()
            is ByteType -> row.getByte(position).toInt()
            is DoubleType -> row.getDouble(position)
            is FloatType -> row.getFloat(position).toDouble()
            is BooleanType -> row.getBoolean(position)
            is DecimalType -> row.getDecimal(position, type.precision(), type.scale()).toJavaBigDecimal()
            is TimestampType -> row.getLong(position).let { micros -> Instant.ofEpochSecond(Math.floorDiv(micros, MICROS), Math.floorMod(micros, MICROS) * NANOS_PER_MICRO) }
            is DateType -> LocalDate.ofEpochDay(row.getInt(position).toLong())
            is ArrayType -> row.getArray(position).toIntArray().joinToString(",") // multi-select choices: "1,2,3"
            else -> throw InvalidInputException("Field '${names[position]}' has the Spark type ${type.simpleString()}, which the connector does not write.")
        }
    }

    private fun guid(text: String, position: Int): UUID = try {
        UUID.fromString(text.trim().removePrefix("{").removeSuffix("}"))
    } catch (e: IllegalArgumentException) {
        throw InvalidInputException("Field '${names[position]}' holds '$text', which is not a GUID.", e)
    }

    private companion object {
        const val BIND = "@odata.bind"
        const val MICROS = 1_000_000L
        const val NANOS_PER_MICRO = 1_000L
    }
}
