package dev.dataverse.model

import dev.dataverse.DataverseRecord
import java.util.UUID

/**
 * How a generated type [T] maps to a Dataverse table: the table's names, the columns to select, and the conversion
 * between an instance and the value maps the untyped operations take and the [DataverseRecord]s they return. The typed
 * operations ([TypedTable]) run the untyped ones through it, so they send the same requests and raise the same errors.
 *
 * Generated models implement it (Kotlin: the class's companion, `Account`; Java: `Account.MODEL`). A hand-written
 * implementation works the same; it must be stateless and thread-safe.
 *
 * ## Unset and null
 * A model writes only the columns that are set (non-null) in the instance: a typed update changes what the instance
 * holds and leaves the rest of the record alone. To clear a column, name it in the `clear` set of
 * [TypedTable.update], which sends `null` for it.
 */
public interface TableModel<T : Any> {
    /** The table's logical name, e.g. `account`. */
    public val logicalName: String

    /** The table's primary id column, e.g. `accountid`. */
    public val primaryIdColumn: String

    /**
     * The readable columns the model holds, as `$select` takes them: lookups by their value property `_<name>_value`
     * (Learn: "Lookup properties"), the others by logical name.
     */
    public val columns: List<String>

    /**
     * Whether reading needs the lookups' annotations (`Microsoft.Dynamics.CRM.lookuplogicalname`): `true` when the model
     * has a polymorphic lookup (customer, owner), whose value alone does not say which table it points to.
     */
    public val needsAnnotations: Boolean

    /** The instance a record holds; columns the record lacks stay unset. */
    public fun fromRecord(record: DataverseRecord): T

    /**
     * The values of [entity] for [operation], keyed as the untyped operations take them: column logical names, and
     * navigation properties with [dev.dataverse.EntityReference]s for lookups. Only set columns that are valid for the
     * operation are included; the primary id only on [WriteOperation.CREATE].
     */
    public fun toValues(entity: T, operation: WriteOperation): Map<String, Any?>

    /** The primary id [entity] holds, or `null` when it has none (a record yet to be created). */
    public fun idOf(entity: T): UUID?
}
