package dev.dataverse.spark.internal

import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnType
import dev.dataverse.InvalidInputException
import org.apache.spark.sql.types.ArrayType
import org.apache.spark.sql.types.DataType
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.Metadata
import org.apache.spark.sql.types.StructField
import org.apache.spark.sql.types.StructType
import java.math.BigDecimal

/**
 * Maps a table's columns (its metadata) to a Spark schema, and a Spark schema (inferred or the user's) back to the
 * columns it reads and writes. Pure: no I/O, no Spark session.
 *
 * Types: text → string; whole numbers → int (32 bits) or long (`BigInt`); decimal and money → `decimal(p, s)` with the
 * column's precision as scale and enough digits for its range; float → double; yes/no → boolean; date and time →
 * timestamp; date only → date; choice, state, status → int (plus `<column>_label` when asked); multi-select choice →
 * array<int> (plus its label); lookup, customer, owner → the target id as a string, plus `<column>_logicalname`;
 * GUID → string. File and image content moves through the client's `files` API (`FileColumns`), and virtual columns
 * (`OTHER`) cannot be selected: neither is part of an inferred schema.
 */
internal object SchemaMapping {
    /** The Spark schema of [columns]: primary id first, then by logical name. */
    fun infer(columns: List<ColumnInfo>, choiceLabels: Boolean): StructType {
        val fields = columns.sortedWith(compareBy({ !it.isPrimaryId }, { it.logicalName })).flatMap { column ->
            bindingsOf(column, choiceLabels).map { binding -> StructField(binding.name, sparkType(binding, column), true, Metadata.empty()) }
        }
        return StructType(fields.toTypedArray())
    }

    /** The bindings a column contributes to an inferred schema. */
    fun bindingsOf(column: ColumnInfo, choiceLabels: Boolean): List<ColumnBinding> {
        val name = column.logicalName
        return when (column.type) {
            ColumnType.FILE, ColumnType.IMAGE, ColumnType.OTHER -> emptyList()
            ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER -> listOf(
                ColumnBinding(name, name, column.type, BindingKind.LOOKUP_ID),
                ColumnBinding(name + ColumnBinding.TABLE_SUFFIX, name, column.type, BindingKind.LOOKUP_TABLE),
            )
            ColumnType.CHOICE, ColumnType.MULTI_CHOICE, ColumnType.STATE, ColumnType.STATUS ->
                listOfNotNull(
                    ColumnBinding(name, name, column.type, BindingKind.VALUE),
                    if (choiceLabels) ColumnBinding(name + ColumnBinding.LABEL_SUFFIX, name, column.type, BindingKind.CHOICE_LABEL) else null,
                )
            else -> listOf(ColumnBinding(name, name, column.type, BindingKind.VALUE))
        }
    }

    /** The Spark type a binding infers to. */
    fun sparkType(binding: ColumnBinding, column: ColumnInfo): DataType = when (binding.kind) {
        BindingKind.CHOICE_LABEL, BindingKind.LOOKUP_TABLE, BindingKind.LOOKUP_ID -> DataTypes.StringType
        BindingKind.VALUE -> when (column.type) {
            ColumnType.STRING, ColumnType.MEMO, ColumnType.UNIQUE_IDENTIFIER -> DataTypes.StringType
            ColumnType.INTEGER, ColumnType.CHOICE, ColumnType.STATE, ColumnType.STATUS -> DataTypes.IntegerType
            ColumnType.BIG_INT -> DataTypes.LongType
            ColumnType.DOUBLE -> DataTypes.DoubleType
            ColumnType.DECIMAL, ColumnType.MONEY -> decimalType(column)
            ColumnType.BOOLEAN -> DataTypes.BooleanType
            ColumnType.DATE_TIME -> DataTypes.TimestampType
            ColumnType.DATE_ONLY -> DataTypes.DateType
            ColumnType.MULTI_CHOICE -> ArrayType(DataTypes.IntegerType, false)
            else -> DataTypes.StringType
        }
    }

    /**
     * `decimal(p, s)` keeping the column's precision: `s` is its digits after the point ([ColumnInfo.precision]; the
     * service's defaults, 2 for decimal and 4 for money, when absent) and `p` adds the digits its largest value needs
     * (the service's range limits when the metadata gives none: 100,000,000,000 for decimal, 922,337,203,685,477 for money).
     */
    fun decimalType(column: ColumnInfo): DecimalType {
        val money = column.type == ColumnType.MONEY
        val scale = (column.precision ?: if (money) 4 else 2).coerceIn(0, MAX_SCALE)
        val largest = listOfNotNull(column.minValue?.abs(), column.maxValue?.abs()).maxOrNull()
            ?: if (money) MONEY_LIMIT else DECIMAL_LIMIT
        val integerDigits = largest.setScale(0, java.math.RoundingMode.UP).toBigInteger().toString().length
        return DecimalType((integerDigits + scale).coerceIn(scale.coerceAtLeast(1), DecimalType.MAX_PRECISION()), scale)
    }

    /**
     * The bindings of [schema] (inferred or the user's) against the table's [columns]: every field must name a column,
     * or a `_label`/`_logicalname` companion of one.
     *
     * @throws InvalidInputException naming the fields that match no column.
     */
    fun bind(schema: StructType, columns: List<ColumnInfo>, table: String): List<ColumnBinding> {
        val byName = columns.associateBy { it.logicalName.lowercase() }
        val unknown = ArrayList<String>()
        val bindings = schema.fields().map { field ->
            val name = field.name()
            val lower = name.lowercase()
            val direct = byName[lower]
            when {
                direct != null -> ColumnBinding(name, direct.logicalName, direct.type, if (direct.type.isLookup) BindingKind.LOOKUP_ID else BindingKind.VALUE)
                lower.endsWith(ColumnBinding.LABEL_SUFFIX) && byName[lower.removeSuffix(ColumnBinding.LABEL_SUFFIX)]?.type?.isChoice == true -> {
                    val column = byName.getValue(lower.removeSuffix(ColumnBinding.LABEL_SUFFIX))
                    ColumnBinding(name, column.logicalName, column.type, BindingKind.CHOICE_LABEL)
                }
                lower.endsWith(ColumnBinding.TABLE_SUFFIX) && byName[lower.removeSuffix(ColumnBinding.TABLE_SUFFIX)]?.type?.isLookup == true -> {
                    val column = byName.getValue(lower.removeSuffix(ColumnBinding.TABLE_SUFFIX))
                    ColumnBinding(name, column.logicalName, column.type, BindingKind.LOOKUP_TABLE)
                }
                else -> {
                    unknown += name
                    null
                }
            }
        }
        if (unknown.isNotEmpty()) {
            throw InvalidInputException("Table '$table' has no column for the Spark field(s) ${unknown.joinToString(", ")}.")
        }
        return bindings.filterNotNull()
    }

    val ColumnType.isLookup: Boolean get() = this == ColumnType.LOOKUP || this == ColumnType.CUSTOMER || this == ColumnType.OWNER
    val ColumnType.isChoice: Boolean
        get() = this == ColumnType.CHOICE || this == ColumnType.MULTI_CHOICE || this == ColumnType.STATE || this == ColumnType.STATUS

    private const val MAX_SCALE = 10
    private val DECIMAL_LIMIT = BigDecimal("100000000000")
    private val MONEY_LIMIT = BigDecimal("922337203685477")
}
