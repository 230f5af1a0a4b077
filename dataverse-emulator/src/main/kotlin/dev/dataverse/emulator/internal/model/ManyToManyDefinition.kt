package dev.dataverse.emulator.internal.model

import java.util.UUID

/**
 * A many-to-many relationship: records of [entity1] and [entity2] are associated through intersect rows. Each side
 * reaches the other through a collection-valued navigation property, by default named like the relationship.
 */
internal data class ManyToManyDefinition(
    val schemaName: String,
    val entity1: String,
    val entity2: String,
    val intersectEntityName: String,
    val entity1NavigationPropertyName: String,
    val entity2NavigationPropertyName: String,
    val metadataId: UUID,
    val isCustom: Boolean = true,
) {
    /** The table on the other side of [table], or null when [table] is on neither side. */
    fun otherSide(table: String): String? = when (table) {
        entity1 -> entity2
        entity2 -> entity1
        else -> null
    }
}
