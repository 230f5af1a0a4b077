package dev.dataverse.spark.internal

import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnType
import dev.dataverse.InvalidInputException
import dev.dataverse.RelationshipInfo
import dev.dataverse.spark.internal.SchemaMapping.isLookup
import org.apache.spark.sql.types.StructType
import java.io.Serializable

/**
 * Everything a write task needs to turn a Spark row into a bulk input, decided once on the driver from the table's
 * metadata and shipped to the executors: which fields are written to which columns, which identify the record, and the
 * navigation property of each lookup. Bad input (an unknown or read-only column, a missing key) fails here, before any
 * task starts — except read-only columns of a SQL write to a catalog table, which Spark passes whether the statement
 * names them or not (as nulls): those must be null row by row ([readOnlyFields]).
 */
internal data class WritePlan(
    val table: String,
    val primaryId: String,
    val operation: Operation,
    /** Field positions and the columns they write; `_label` fields are ignored. */
    val fields: List<WriteField>,
    /** Field position of the primary id, when the schema has it. */
    val idField: Int?,
    /** Field positions of the alternate key's columns, in the key's order. */
    val keyFields: List<Pair<Int, String>>,
    /** Whether a null leaves its column as it is (nothing sent) instead of clearing it. */
    val ignoreNulls: Boolean = false,
    /** Positions and columns of read-only fields a catalog table's write carries; each must be null (it is not sent). */
    val readOnlyFields: List<Pair<Int, String>> = emptyList(),
) : Serializable

/** One written field: the row position, the column, and for lookups the navigation property and targets. */
internal data class WriteField(
    val position: Int,
    val column: String,
    val type: ColumnType,
    /** For lookups: the `@odata.bind` navigation property of each target table. */
    val navigation: Map<String, String> = emptyMap(),
    /** For lookups: the position of the `<lookup>_logicalname` field, when the schema has one. */
    val tableField: Int? = null,
) : Serializable

internal object WritePlanning {
    fun plan(
        schema: StructType,
        table: String,
        primaryId: String,
        columns: List<ColumnInfo>,
        relationships: List<RelationshipInfo>,
        operation: Operation,
        alternateKey: List<String>,
        ignoreNulls: Boolean = false,
        catalogTable: Boolean = false,
    ): WritePlan {
        val bindings = SchemaMapping.bind(schema, columns, table)
        val byName = columns.associateBy { it.logicalName.lowercase() }
        val positions = bindings.withIndex().associate { (i, b) -> b.name.lowercase() to i }
        val idField = positions[primaryId.lowercase()]
        val keyFields = alternateKey.map { column ->
            (positions[column] ?: throw InvalidInputException("The alternate key column '$column' is not a field of the DataFrame.")) to column
        }
        when (operation) {
            Operation.UPDATE, Operation.DELETE, Operation.UPSERT -> if (idField == null && keyFields.isEmpty()) {
                throw InvalidInputException(
                    "Operation ${operation.name.lowercase()} identifies records by the primary id '$primaryId' or an alternate key: " +
                        "add the '$primaryId' field or set the 'alternateKey' option.",
                )
            }
            Operation.CREATE -> Unit
        }
        val keyColumns = keyFields.map { it.second }.toSet()
        val readOnly = ArrayList<Pair<Int, String>>()
        val fields = bindings.mapIndexedNotNull { position, binding ->
            val column = byName.getValue(binding.attribute.lowercase())
            when {
                binding.kind == BindingKind.CHOICE_LABEL || binding.kind == BindingKind.LOOKUP_TABLE -> null
                operation == Operation.DELETE -> null
                column.isPrimaryId -> null // carried as the record's key or client-assigned id
                column.logicalName in keyColumns && keyFields.isNotEmpty() && operation != Operation.CREATE -> null
                !writable(column, operation) -> {
                    readOnly += position to binding.name
                    null
                }
                column.type.isLookup -> WriteField(
                    position, column.logicalName, column.type,
                    navigation = navigation(column, table, relationships),
                    tableField = positions[(binding.name + ColumnBinding.TABLE_SUFFIX).lowercase()],
                )
                else -> WriteField(position, column.logicalName, column.type)
            }
        }
        if (readOnly.isNotEmpty() && !catalogTable) {
            throw InvalidInputException(
                "Table '$table' does not accept values for ${readOnly.joinToString(", ") { it.second }} on ${operation.name.lowercase()}: " +
                    "drop these fields (e.g. df.drop(...)) before writing.",
            )
        }
        return WritePlan(table, primaryId, operation, fields, idField, keyFields, ignoreNulls, if (catalogTable) readOnly else emptyList())
    }

    private fun writable(column: ColumnInfo, operation: Operation): Boolean = when (operation) {
        Operation.CREATE -> column.isValidForCreate
        Operation.UPDATE -> column.isValidForUpdate
        Operation.UPSERT -> column.isValidForCreate || column.isValidForUpdate
        Operation.DELETE -> true
    }

    /** The navigation property per target table of a lookup, from the many-to-one relationships that define it. */
    private fun navigation(column: ColumnInfo, table: String, relationships: List<RelationshipInfo>): Map<String, String> =
        relationships.filter {
            it.referencingTable.equals(table, ignoreCase = true) && it.referencingAttribute.equals(column.logicalName, ignoreCase = true) &&
                it.referencedTable != null && it.referencingNavigationProperty != null
        }.associate { it.referencedTable!!.lowercase() to it.referencingNavigationProperty!! }
}
