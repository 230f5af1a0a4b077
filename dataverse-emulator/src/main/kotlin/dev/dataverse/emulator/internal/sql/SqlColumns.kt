package dev.dataverse.emulator.internal.sql

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.TextValues
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.query.QuerySource
import dev.dataverse.emulator.internal.query.SourceColumn
import java.util.Locale

/**
 * Resolves column references of a SQL query against its sources (the `FROM` table and the joined one) and reads literals
 * as the values of a column: `name` when only one source has it, `alias.name` or `table.name` otherwise; names are
 * logical names, matched case-insensitively as SQL identifiers are.
 */
internal class SqlColumns(private val sources: List<QuerySource>) {

    /** The column [reference] names; unknown, ambiguous or unqualifiable references are 400s. */
    fun resolve(reference: SqlColumnReference): SourceColumn {
        val name = reference.name.lowercase(Locale.ROOT)
        val qualifier = reference.qualifier
        if (qualifier != null) {
            val source = source(qualifier)
            val column = source.table.column(name) ?: throw ApiErrors.noAttribute(source.table.logicalName, reference.name)
            return SourceColumn(source, column)
        }
        val matches = sources.mapNotNull { source -> source.table.column(name)?.let { SourceColumn(source, it) } }
        return when (matches.size) {
            0 -> throw ApiErrors.noAttribute(sources[0].table.logicalName, reference.name)
            1 -> matches[0]
            else -> throw ApiErrors.badRequest("The column name '${reference.name}' is ambiguous in the SQL query; qualify it with a table alias.")
        }
    }

    /** The source [qualifier] (an alias, or a table name) refers to. */
    fun source(qualifier: String): QuerySource =
        sources.firstOrNull { it.alias.equals(qualifier, ignoreCase = true) }
            ?: sources.singleOrNull { it.table.logicalName.equals(qualifier, ignoreCase = true) }
            ?: throw ApiErrors.badRequest("The SQL query has no table or alias named '$qualifier'.")

    /** [literal] as a normalized value of [column]'s type; a literal that does not fit is a 400. */
    fun value(column: SourceColumn, literal: SqlLiteral): Any = when (literal) {
        is SqlLiteral.Text -> TextValues.parse(column.kind, literal.value) ?: throw mismatch(column, "'${literal.value}'")
        is SqlLiteral.Number -> number(column, literal)
    }

    private fun number(column: SourceColumn, literal: SqlLiteral.Number): Any {
        val value = literal.value
        return when (column.kind) {
            ValueKind.INT32, ValueKind.INT64 -> if (value.stripTrailingZeros().scale() <= 0) value.toBigIntegerExact().toLong() else value
            ValueKind.DECIMAL -> value
            ValueKind.BOOLEAN -> when (value.toPlainString()) {
                "1" -> true
                "0" -> false
                else -> throw mismatch(column, value.toPlainString())
            }
            else -> throw mismatch(column, value.toPlainString())
        }
    }

    private fun mismatch(column: SourceColumn, literal: String) =
        ApiErrors.badRequest("The value $literal cannot be compared with the column '$column' of type ${column.kind.edmType}.")
}
