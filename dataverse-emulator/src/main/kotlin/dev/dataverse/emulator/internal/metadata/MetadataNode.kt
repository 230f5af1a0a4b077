package dev.dataverse.emulator.internal.metadata

import kotlinx.serialization.json.JsonElement

/** A metadata object: its type, its structural properties (in output order) and its navigation properties. */
internal class MetadataNode(
    val type: MetadataType,
    val properties: Map<String, JsonElement>,
    val navigations: Map<String, MetadataNavigation> = emptyMap(),
)

/** A navigation property of a metadata object, computed when expanded. */
internal sealed interface MetadataNavigation {
    /** The type the navigation property is declared with. */
    val declaredType: MetadataType

    class One(override val declaredType: MetadataType, val node: () -> MetadataNode?) : MetadataNavigation

    class Many(override val declaredType: MetadataType, val nodes: () -> List<MetadataNode>) : MetadataNavigation
}
