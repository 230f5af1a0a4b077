package dev.dataverse.schema

import dev.dataverse.internal.schema.toJson
import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.InvalidInputException

/**
 * A relationship a [TableSchema] takes part in, seen from that table ([kind]).
 *
 * For one-to-many and many-to-one, [referencedTable]/[referencedColumn] are the "one" side and
 * [referencingTable]/[referencingColumn] the "many" side that holds the lookup column. For many-to-many,
 * [referencedTable] is the first table (`Entity1LogicalName`), [referencingTable] the second (`Entity2LogicalName`),
 * [referencedColumn]/[referencingColumn] their columns in [intersectTable]
 * (`Entity1IntersectAttribute`/`Entity2IntersectAttribute`).
 */
public class RelationshipSchema @JvmOverloads constructor(
    /** The relationship's schema name, e.g. `contact_customer_accounts`. */
    public val schemaName: String,
    /** The kind, seen from the table that lists this relationship. */
    public val kind: RelationshipKind,
    /** The "one" side (1:N, N:1) or the first table (N:N). */
    public val referencedTable: String,
    /** The referenced table's column: its primary id (1:N, N:1) or its intersect column (N:N). */
    public val referencedColumn: String,
    /** The "many" side (1:N, N:1) or the second table (N:N). */
    public val referencingTable: String,
    /** The lookup column on the "many" side (1:N, N:1) or the second table's intersect column (N:N). */
    public val referencingColumn: String,
    /** The navigation property of the table that lists this relationship; `null` when the environment did not say. */
    public val navigationProperty: String? = null,
    /** The intersect table's logical name; set for [RelationshipKind.MANY_TO_MANY] only. */
    public val intersectTable: String? = null,
) {
    init {
        SchemaChecks.name(schemaName, "schemaName")
        SchemaChecks.name(referencedTable, "referencedTable")
        SchemaChecks.name(referencedColumn, "referencedColumn")
        SchemaChecks.name(referencingTable, "referencingTable")
        SchemaChecks.name(referencingColumn, "referencingColumn")
        SchemaChecks.optional(navigationProperty, "navigationProperty")
        SchemaChecks.optional(intersectTable, "intersectTable")
        if (kind == RelationshipKind.MANY_TO_MANY && intersectTable == null) {
            throw InvalidInputException("The many-to-many relationship '$schemaName' needs its 'intersectTable'.")
        }
        if (kind != RelationshipKind.MANY_TO_MANY && intersectTable != null) {
            throw InvalidInputException("Only a many-to-many relationship has an 'intersectTable' ('$schemaName' is ${kind.formatName()}).")
        }
    }

    override fun equals(other: Any?): Boolean = other is RelationshipSchema && other.toJson() == toJson()

    override fun hashCode(): Int = schemaName.hashCode() * 31 + kind.hashCode()

    override fun toString(): String = "RelationshipSchema($schemaName, ${kind.formatName()}, $referencedTable.$referencedColumn <- $referencingTable.$referencingColumn)"

}
