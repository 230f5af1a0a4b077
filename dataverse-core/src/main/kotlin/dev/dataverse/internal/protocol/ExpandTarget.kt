package dev.dataverse.internal.protocol

/**
 * What a record nested under a navigation property is: the [table] the property leads to and that table's
 * [primaryIdAttribute] (`null` when its definition could not be read), so that nested records answer
 * [dev.dataverse.DataverseRecord.table] and [dev.dataverse.DataverseRecord.id] like top-level ones. Resolved from the
 * relationship metadata the client caches per table, before the read is sent; [nested] is empty because typed expands
 * have no nested expand and a hand-written one's inner clauses are not parsed.
 */
internal class ExpandTarget(val table: String, val primaryIdAttribute: String?, val nested: Map<String, ExpandTarget> = emptyMap()) {
    companion object {
        /** The target of [navigationProperty] in [targets]: by exact name (OData names are case-sensitive), else ignoring case. */
        fun find(targets: Map<String, ExpandTarget>, navigationProperty: String): ExpandTarget? =
            targets[navigationProperty] ?: targets.entries.firstOrNull { it.key.equals(navigationProperty, ignoreCase = true) }?.value
    }
}
