package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import org.apache.spark.sql.connector.expressions.NamedReference
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation
import org.apache.spark.sql.connector.expressions.aggregate.Count
import org.apache.spark.sql.connector.expressions.aggregate.CountStar
import org.apache.spark.sql.connector.expressions.aggregate.Max
import org.apache.spark.sql.connector.expressions.aggregate.Min
import org.apache.spark.sql.connector.expressions.aggregate.Sum
import org.apache.spark.sql.types.DataType
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.DoubleType
import org.apache.spark.sql.types.StructType
import java.io.Serializable

/** One aggregate the service computes: its FetchXML function, the column (none for a row count) and its Spark type. */
internal data class AggregateColumn(
    val function: Function,
    /** The column aggregated; `null` for [Function.COUNT_ROWS]. */
    val binding: ColumnBinding?,
    /** The Spark type of the column's values (what [Function.MIN] and [Function.MAX] return, what the fallback reads). */
    val inputType: DataType?,
    /** The Spark type of the result. */
    val outputType: DataType,
) : Serializable {
    enum class Function(val fetchXml: String) { COUNT_ROWS("count"), COUNT_VALUES("countcolumn"), SUM("sum"), MIN("min"), MAX("max") }
}

/**
 * Which of Spark's aggregates the service can compute: `count(*)`, `count(column)`, `sum`, `min` and `max` without
 * `DISTINCT` and without `GROUP BY` (Spark turns `avg` into `sum` and `count` itself), over columns whose comparison and
 * arithmetic on the service are Spark's: numbers for `sum`, numbers and dates for `min` and `max`, any column holding its
 * own value (or a lookup's id) for `count`. Text is left to Spark (the service compares it without regard to case), and
 * so are choice labels and lookup tables. Pushdown is partial: each partition returns its own aggregates, which Spark
 * combines. Pure.
 */
internal object AggregatePlanning {
    /** The aggregates of [aggregation] over the fields of [schema], or `null` when Spark must compute them. */
    fun plan(aggregation: Aggregation, schema: StructType, bindings: List<ColumnBinding>): List<AggregateColumn>? {
        if (aggregation.groupByExpressions().isNotEmpty()) return null
        val byName = bindings.associateBy { it.name }
        val types = schema.fields().associate { it.name() to it.dataType() }
        return aggregation.aggregateExpressions().map { function -> column(function, byName, types) ?: return null }
    }

    private fun column(function: AggregateFunc, bindings: Map<String, ColumnBinding>, types: Map<String, DataType>): AggregateColumn? {
        fun input(expression: org.apache.spark.sql.connector.expressions.Expression): Pair<ColumnBinding, DataType>? {
            val name = (expression as? NamedReference)?.fieldNames()?.singleOrNull() ?: return null
            val binding = bindings[name]?.takeIf { it.kind == BindingKind.VALUE || it.kind == BindingKind.LOOKUP_ID } ?: return null
            return binding to (types[name] ?: return null)
        }
        return when (function) {
            is CountStar -> AggregateColumn(AggregateColumn.Function.COUNT_ROWS, null, null, DataTypes.LongType)
            is Count -> if (function.isDistinct) null else input(function.column())?.let { (binding, type) ->
                AggregateColumn(AggregateColumn.Function.COUNT_VALUES, binding, type, DataTypes.LongType)
            }
            is Sum -> if (function.isDistinct) null else input(function.column())?.takeIf { numeric(it.first) }?.let { (binding, type) ->
                sumType(type)?.let { AggregateColumn(AggregateColumn.Function.SUM, binding, type, it) }
            }
            is Min -> input(function.column())?.takeIf { ordered(it.first) }?.let { (binding, type) -> AggregateColumn(AggregateColumn.Function.MIN, binding, type, type) }
            is Max -> input(function.column())?.takeIf { ordered(it.first) }?.let { (binding, type) -> AggregateColumn(AggregateColumn.Function.MAX, binding, type, type) }
            else -> null
        }
    }

    private fun numeric(binding: ColumnBinding): Boolean = binding.kind == BindingKind.VALUE &&
        binding.type in setOf(ColumnType.INTEGER, ColumnType.BIG_INT, ColumnType.DECIMAL, ColumnType.MONEY, ColumnType.DOUBLE)

    private fun ordered(binding: ColumnBinding): Boolean =
        numeric(binding) || (binding.kind == BindingKind.VALUE && (binding.type == ColumnType.DATE_TIME || binding.type == ColumnType.DATE_ONLY))

    /** Spark's type of `sum` over [type]: long for whole numbers, ten more digits for decimals, double for doubles. */
    private fun sumType(type: DataType): DataType? = when (type) {
        DataTypes.IntegerType, DataTypes.LongType, DataTypes.ShortType, DataTypes.ByteType -> DataTypes.LongType
        is DecimalType -> DataTypes.createDecimalType(minOf(DecimalType.MAX_PRECISION(), type.precision() + 10), type.scale())
        is DoubleType -> DataTypes.DoubleType
        else -> null
    }
}
