package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.KeyPredicate
import dev.dataverse.emulator.internal.odata.Literal
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.store.TableStore
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID

/** How a URL identifies a record: by primary id or by the values of an alternate key. */
internal sealed interface RecordKey {
    /** [partitionId]: the partition an elastic table's record is looked for in; `null` for its default (see [ElasticTables]). */
    data class ById(val id: UUID, val partitionId: String? = null) : RecordKey

    /** [values] are stored representations, in the order of [key]'s attributes. */
    data class ByAlternateKey(val key: AlternateKeyDefinition, val values: List<Any?>) : RecordKey

    companion object {
        /**
         * Resolves the key text of `accounts(...)` against [table]: a bare GUID, `<primaryid>=<guid>`, or exactly
         * the columns of one alternate key defined in metadata. Anything else is the service's invalid-key error.
         */
        fun resolve(table: TableDefinition, keyText: String): RecordKey {
            val invalid = ApiErrors.invalidKey(table.qualifiedTypeName)
            return when (val predicate = KeyPredicate.parse(keyText)) {
                is KeyPredicate.Single -> ById((predicate.value as? Literal.Guid)?.value ?: throw invalid)
                is KeyPredicate.Named -> resolveNamed(table, predicate.values, invalid)
                else -> throw invalid
            }
        }

        private fun resolveNamed(table: TableDefinition, named: Map<String, Literal>, invalid: ApiException): RecordKey {
            val single = named.entries.singleOrNull()
            if (single != null && single.key == table.primaryIdAttribute) {
                return ById((single.value as? Literal.Guid)?.value ?: throw invalid)
            }
            // Learn ("Use elastic tables using code", update) writes the partition as `partitionId='...'` in the key.
            val columns = named.mapKeys { (name, _) ->
                table.columnByProperty(name)
                    ?: name.takeIf { table.isElastic && it.equals(ElasticTables.PARTITION_ID, ignoreCase = true) }?.let { table.column(ElasticTables.PARTITION_ID) }
                    ?: throw invalid
            }
            val key = table.keyWithAttributes(columns.keys.map { it.logicalName }.toSet()) ?: throw invalid
            val status = key.status(Instant.now())
            if (status != AlternateKeyDefinition.ACTIVE) throw ApiErrors.keyNotActive(table.logicalName, key.schemaName, status)
            val values = key.keyAttributes.map { attribute ->
                val (column, literal) = columns.entries.first { it.key.logicalName == attribute }
                keyValue(column, literal) ?: throw invalid
            }
            return ByAlternateKey(key, values)
        }

        /** The stored form of a key literal for [column], or null when the literal does not fit the column. */
        private fun keyValue(column: ColumnDefinition, literal: Literal): Any? = when (column.type) {
            ColumnType.STRING, ColumnType.MEMO -> (literal as? Literal.Text)?.value
            ColumnType.INTEGER, ColumnType.PICKLIST, ColumnType.STATE, ColumnType.STATUS ->
                (literal as? Literal.Integer)?.value?.takeIf { it in Int.MIN_VALUE..Int.MAX_VALUE }?.toInt()
            ColumnType.BIG_INT -> (literal as? Literal.Integer)?.value
            ColumnType.MONEY, ColumnType.DECIMAL, ColumnType.DOUBLE -> when (literal) {
                is Literal.Integer -> BigDecimal.valueOf(literal.value)
                is Literal.Decimal -> literal.value
                else -> null
            }
            ColumnType.BOOLEAN -> (literal as? Literal.Bool)?.value
            ColumnType.UNIQUE_IDENTIFIER -> (literal as? Literal.Guid)?.value
            ColumnType.LOOKUP, ColumnType.CUSTOMER, ColumnType.OWNER -> (literal as? Literal.Guid)?.value?.let { LookupValue(column.targets.first().table, it) }
            ColumnType.DATE_TIME -> (literal as? Literal.DateTime)?.value
            ColumnType.DATE_ONLY -> (literal as? Literal.Date)?.value
            ColumnType.MULTI_SELECT_PICKLIST, ColumnType.FILE, ColumnType.IMAGE -> null
        }
    }
}

/** The record [key] identifies, or null. */
internal fun TableStore.find(key: RecordKey): StoredRecord? = when (key) {
    is RecordKey.ById -> get(key.id)?.takeIf { !table.isElastic || ElasticTables.inPartition(it, key.partitionId ?: key.id.toString()) }
    is RecordKey.ByAlternateKey -> findByKey(key.key, key.values)
}

/** The service's not-found error for [key] in [table]. */
internal fun RecordKey.notFound(table: TableDefinition): ApiException = when (this) {
    is RecordKey.ById -> ApiErrors.recordNotFound(table.logicalName, id)
    is RecordKey.ByAlternateKey -> ApiErrors.recordNotFoundByKey(table.logicalName)
}

/** The key columns and values a record created through [this] key gets. */
internal fun RecordKey.ByAlternateKey.columnValues(): Map<String, Any?> = key.keyAttributes.zip(values).toMap()

/**
 * Checks that key columns the payload also sets hold the values the key in the URL (or `@odata.id`) names; text is
 * compared case-insensitively, as the service's collation does. A mismatch is a 400.
 */
internal fun RecordKey.ByAlternateKey.requireConsistentWith(table: TableDefinition, changes: RecordChanges) {
    for ((column, keyValue) in columnValues()) {
        if (!changes.values.containsKey(column)) continue
        val bodyValue = ColumnValues.normalize(changes.values[column])
        val expected = ColumnValues.normalize(keyValue)
        val same = if (bodyValue is String && expected is String) bodyValue.equals(expected, ignoreCase = true) else bodyValue == expected
        if (!same) {
            throw ApiErrors.invalidArgument("The value of '$column' in the request body does not match the key of '${table.entitySetName}' in the request URI.")
        }
    }
}
