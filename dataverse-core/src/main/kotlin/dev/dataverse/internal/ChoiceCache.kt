package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.Expand
import dev.dataverse.internal.protocol.ExpandTarget

import dev.dataverse.ChoiceOptions
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.MetadataCodec
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.transport.HttpTransport

/**
 * The options of a table's choice-like columns, read per table and kind through the attribute cast endpoints
 * (`.../Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet(...)`).
 * Kinds are read lazily in the order [Kind.entries] lists them, so resolving an ordinary choice costs one request per
 * table and TTL; multi-select, yes/no, state and status columns are read only when a column is not found before them.
 */
internal class ChoiceCache(
    private val transport: HttpTransport,
    private val metadata: TableMetadataCache,
) {
    /** A kind of column with options, and how its cast endpoint expands them. */
    enum class Kind(val castType: String, val optionSelect: String, val multiSelect: Boolean = false) {
        PICKLIST("PicklistAttributeMetadata", "Options"),
        MULTI_SELECT("MultiSelectPicklistAttributeMetadata", "Options", multiSelect = true),
        BOOLEAN("BooleanAttributeMetadata", "TrueOption,FalseOption"),
        STATE("StateAttributeMetadata", "Options"),
        STATUS("StatusAttributeMetadata", "Options"),
    }

    private val entries = metadata.newCache<Pair<TableName, Kind>, Map<String, ChoiceOptions>> { it.first.value }

    /**
     * The options of [column] of [table] (both validated, lower case).
     *
     * @throws InvalidInputException when the table has no choice, multi-select, yes/no, state or status column of
     * this name, whether the column does not exist or has another type: both are caller errors a lookup would not fix.
     */
    suspend fun options(table: TableName, column: String): ChoiceOptions = lookup(table, column).second

    /** The kind and options of [column] of [table]; see [options]. */
    suspend fun lookup(table: TableName, column: String): Pair<Kind, ChoiceOptions> {
        for (kind in Kind.entries) {
            optionsOf(table, kind)[column]?.let { return kind to it }
        }
        throw InvalidInputException(
            "Column '$column' of table '$table' is not a choice, multi-select choice, yes/no, state or status column" +
                " (or does not exist), so it has no options to look up.",
        )
    }

    /** Forgets every kind cached for [table]. */
    fun invalidate(table: String) {
        entries.invalidate(table)
    }

    private suspend fun optionsOf(table: TableName, kind: Kind): Map<String, ChoiceOptions> = entries.get(table to kind) {
        val response = transport.send(MetadataCodec.choices(table, kind.castType, kind.optionSelect, metadata.consistency(table)))
        MetadataCodec.choices(response, table, kind.multiSelect)
    }
}

/**
 * The navigation properties of each table. The single-valued ones (the `ReferencingEntityNavigationPropertyName` of its
 * many-to-one relationships) tell [dev.dataverse.Records.associate] whether a navigation property is a lookup
 * (`PUT .../$ref`) or a collection (`POST .../$ref`). The [targets] of all of them (lookups, one-to-many and many-to-many
 * collections) tell which table a record nested in an `$expand` belongs to ([expandTargets]); they are read only by a
 * read that expands something, so a client that never expands never asks for them.
 */
internal class NavigationCache(
    private val transport: HttpTransport,
    private val metadata: TableMetadataCache,
) {
    private val entries = metadata.newCache<TableName, Set<String>> { it.value }
    private val targetEntries = metadata.newCache<TableName, Map<String, String>> { it.value }

    /** The single-valued navigation property names of [table]; names are case-sensitive. */
    suspend fun singleValued(table: TableName): Set<String> = entries.get(table) {
        MetadataCodec.singleValuedNavigations(transport.send(MetadataCodec.navigations(table, metadata.consistency(table))))
    }

    /** Every navigation property of [table] (case-sensitive names) and the logical name of the table it leads to. */
    suspend fun targets(table: TableName): Map<String, String> = targetEntries.get(table) {
        MetadataCodec.Relationships.entries.fold(emptyMap()) { all, kind ->
            val response = transport.send(MetadataCodec.navigationTargets(table, kind, metadata.consistency(table)))
            all + MetadataCodec.navigationTargets(response, table, kind)
        }
    }

    /**
     * The table and primary id column of the records each of [expands] nests in a read of [table]. Best effort: a
     * navigation property the metadata does not list, or metadata the service refuses to give, leaves the nested
     * records without a table (the read itself goes on and reports its own errors), as [dev.dataverse.DataverseRecord.table]
     * documents.
     */
    suspend fun expandTargets(table: TableName, expands: List<Expand>): Map<String, ExpandTarget> {
        if (expands.isEmpty()) return emptyMap()
        val targets = try {
            targets(table)
        } catch (e: DataverseException) {
            return emptyMap()
        }
        val resolved = HashMap<String, ExpandTarget>()
        for (expand in expands) {
            val navigation = expand.navigationProperty
            val target = targets[navigation] ?: targets.entries.firstOrNull { it.key.equals(navigation, ignoreCase = true) }?.value ?: continue
            val primaryId = try {
                metadata.get(TableName.trusted(target)).primaryIdAttribute
            } catch (e: DataverseException) {
                null
            }
            resolved[navigation] = ExpandTarget(target, primaryId)
        }
        return resolved
    }

    fun invalidate(table: String) {
        entries.invalidate(table)
        targetEntries.invalidate(table)
    }

    /** Forgets every table's navigations: a deleted table takes lookups of other tables with it. */
    fun invalidateAll() {
        entries.invalidateAll()
        targetEntries.invalidateAll()
    }
}
