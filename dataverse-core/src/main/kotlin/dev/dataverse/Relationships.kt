package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.SchemaNames
import java.util.UUID

/** A relationship to create with [Tables.createRelationship]: a [OneToManySpec] or a [ManyToManySpec]. */
public sealed class RelationshipSpec {
    /** The relationship's schema name, with the publisher prefix, e.g. `new_account_new_order`. */
    public abstract val schemaName: String
}

/**
 * A one-to-many relationship: each record of [referencingTable] can point, through a new lookup column, to one record of
 * [referencedTable]. Records of the referencing table then bind with `"<lookupSchemaName>@odata.bind"` (pass an
 * [EntityReference] under the lookup's schema name), and the referenced table gains a collection navigation property
 * named after the relationship, usable in `$expand` and with [Records.associate].
 *
 * ```kotlin
 * OneToManySpec("account", "new_order", lookupSchemaName = "new_AccountId", lookupDisplayName = "Account")
 * ```
 */
public class OneToManySpec @JvmOverloads constructor(
    /** The "one" side, e.g. `account`. */
    referencedTable: String,
    /** The "many" side, which gets the lookup column, e.g. `new_order`. */
    referencingTable: String,
    /** The schema name of the lookup column, e.g. `new_AccountId`. */
    public val lookupSchemaName: String,
    /** The display name of the lookup column. */
    public val lookupDisplayName: String,
    /** The relationship's schema name; by default `<referenced>_<referencing>_<lookupSchemaName>`. */
    schemaName: String? = null,
    /** What happens to referencing records when a referenced record is deleted, assigned, shared, …. */
    public val cascade: CascadeConfiguration = CascadeConfiguration.DEFAULT,
) : RelationshipSpec() {
    /** The "one" side's logical name. */
    public val referencedTable: String = Identifiers.requireTable(referencedTable)

    /** The "many" side's logical name. */
    public val referencingTable: String = Identifiers.requireTable(referencingTable)

    override val schemaName: String = schemaName ?: "${this.referencedTable}_${this.referencingTable}_$lookupSchemaName"

    init {
        SchemaNames.requireCustom(lookupSchemaName, "lookup schema name")
        SchemaNames.requireLabel(lookupDisplayName, "lookupDisplayName")
        SchemaNames.requireRelationship(this.schemaName)
    }

    override fun toString(): String = "OneToManySpec($schemaName: $referencedTable -> $referencingTable.$lookupSchemaName)"
}

/**
 * A many-to-many relationship between [table1] and [table2], stored in a new intersect table. Records are linked with
 * [Records.associate] through the navigation property named after the relationship.
 */
public class ManyToManySpec @JvmOverloads constructor(
    /** The relationship's schema name, e.g. `new_account_contact`. */
    override val schemaName: String,
    /** One side's logical name. */
    table1: String,
    /** The other side's logical name. */
    table2: String,
    /** The intersect table's logical name; by default the relationship's schema name in lower case. */
    intersectTable: String? = null,
) : RelationshipSpec() {
    /** One side's logical name. */
    public val table1: String = Identifiers.requireTable(table1)

    /** The other side's logical name. */
    public val table2: String = Identifiers.requireTable(table2)

    /** The intersect table's logical name. */
    public val intersectTable: String = (intersectTable ?: schemaName).lowercase()

    init {
        SchemaNames.requireRelationship(schemaName)
        SchemaNames.requireCustom(this.intersectTable, "intersect table name")
    }

    override fun toString(): String = "ManyToManySpec($schemaName: $table1 <-> $table2)"
}

/** The cascading behaviour of a one-to-many relationship, per kind of change to the referenced record. */
public class CascadeConfiguration @JvmOverloads constructor(
    /** When the referenced record gets a new owner. */
    public val assign: CascadeType = CascadeType.NO_CASCADE,
    /** When the referenced record is deleted; [CascadeType.REMOVE_LINK] clears the lookups. */
    public val delete: CascadeType = CascadeType.REMOVE_LINK,
    /** When the referenced record is merged into another. */
    public val merge: CascadeType = CascadeType.NO_CASCADE,
    /** When the referencing record's parent changes owner. */
    public val reparent: CascadeType = CascadeType.NO_CASCADE,
    /** When the referenced record is shared. */
    public val share: CascadeType = CascadeType.NO_CASCADE,
    /** When sharing of the referenced record ends. */
    public val unshare: CascadeType = CascadeType.NO_CASCADE,
) {
    override fun equals(other: Any?): Boolean = other is CascadeConfiguration && other.toString() == toString()

    override fun hashCode(): Int = toString().hashCode()

    override fun toString(): String =
        "CascadeConfiguration(assign=$assign, delete=$delete, merge=$merge, reparent=$reparent, share=$share, unshare=$unshare)"

    public companion object {
        /** The service's default for custom relationships: deleting a referenced record clears the lookups. */
        @JvmField
        public val DEFAULT: CascadeConfiguration = CascadeConfiguration()
    }
}

/**
 * A relationship's definition, as read from `RelationshipDefinitions`. One-to-many relationships fill the `referenc…`
 * properties; many-to-many relationships fill [table1], [table2] and [intersectTable].
 */
public class RelationshipInfo public constructor(
    /** The schema name. */
    public val schemaName: String,
    /** One-to-many or many-to-many. */
    public val type: RelationshipType,
    /** One-to-many: the "one" side. */
    public val referencedTable: String?,
    /** One-to-many: the column of the "one" side the lookup holds, usually its primary id. */
    public val referencedAttribute: String?,
    /** One-to-many: the "many" side. */
    public val referencingTable: String?,
    /** One-to-many: the lookup column of the "many" side. */
    public val referencingAttribute: String?,
    /** One-to-many: the collection navigation property of the "one" side, for `$expand` and [Records.associate]. */
    public val referencedNavigationProperty: String?,
    /** One-to-many: the single-valued navigation property of the "many" side, the key of `@odata.bind`. */
    public val referencingNavigationProperty: String?,
    /** Many-to-many: one side. */
    public val table1: String?,
    /** Many-to-many: the other side. */
    public val table2: String?,
    /** Many-to-many: the navigation property of [table1] leading to [table2] records. */
    public val table1NavigationProperty: String?,
    /** Many-to-many: the navigation property of [table2] leading to [table1] records. */
    public val table2NavigationProperty: String?,
    /** Many-to-many: the intersect table. */
    public val intersectTable: String?,
    /** Whether a customizer created it. */
    public val isCustom: Boolean,
    /** The id of the relationship's metadata. */
    public val metadataId: UUID,
) {
    override fun equals(other: Any?): Boolean = other is RelationshipInfo && other.metadataId == metadataId

    override fun hashCode(): Int = metadataId.hashCode()

    override fun toString(): String = when (type) {
        RelationshipType.ONE_TO_MANY -> "RelationshipInfo($schemaName: $referencedTable -> $referencingTable.$referencingAttribute)"
        RelationshipType.MANY_TO_MANY -> "RelationshipInfo($schemaName: $table1 <-> $table2)"
    }
}
