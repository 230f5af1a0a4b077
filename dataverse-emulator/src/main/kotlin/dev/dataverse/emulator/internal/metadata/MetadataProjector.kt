package dev.dataverse.emulator.internal.metadata

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.FilterCompiler
import dev.dataverse.emulator.internal.odata.FilterExpression
import dev.dataverse.emulator.internal.odata.FilterProperty
import dev.dataverse.emulator.internal.odata.QueryOptions
import dev.dataverse.emulator.internal.odata.ValueKind
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.Locale

/**
 * Applies `$select`, `$expand` and `$filter` to metadata objects. Names are checked against the declared type
 * of the resource (a derived type only through a cast segment), as the service does.
 */
internal object MetadataProjector {

    /** [node] as JSON, declared as [declared], projected by [options]. */
    fun project(node: MetadataNode, declared: MetadataType, options: QueryOptions): JsonObject {
        options.select?.forEach { name ->
            if (name !in declared.properties) throw ApiErrors.propertyNotFound(name, declared.qualifiedName)
        }
        val expands = options.expand.associateBy { it.navigation }
        expands.keys.forEach { name ->
            if (name !in declared.navigations) throw ApiErrors.propertyNotFound(name, declared.qualifiedName)
        }
        return buildJsonObject {
            if (node.type !== declared) put("@odata.type", "#${node.type.qualifiedName}")
            val selected = options.select?.toSet()
            for ((name, value) in node.properties) {
                if (selected == null || name in selected || name == METADATA_ID) put(name, value)
            }
            for ((name, item) in expands) put(name, expand(node, name, item.options))
        }
    }

    /** The nodes of [nodes] matching [filter] (all when null). */
    fun filter(nodes: List<MetadataNode>, declared: MetadataType, filter: FilterExpression?): List<MetadataNode> {
        if (filter == null) return nodes
        val predicate = FilterCompiler(declared.qualifiedName) { name -> property(declared, name) }.compile(filter)
        return nodes.filter(predicate)
    }

    private fun expand(node: MetadataNode, name: String, options: QueryOptions): JsonElement {
        if (options.orderBy.isNotEmpty() || options.top != null) {
            throw ApiErrors.badRequest("Only \$select and \$filter are supported inside \$expand of metadata ('$name').")
        }
        return when (val navigation = node.navigations[name]) {
            null -> JsonNull
            is MetadataNavigation.One -> {
                if (options.filter != null) throw ApiErrors.badRequest("\$filter cannot be applied to the single-valued navigation property '$name'.")
                navigation.node()?.let { project(it, navigation.declaredType, options) } ?: JsonNull
            }
            is MetadataNavigation.Many -> JsonArray(
                filter(navigation.nodes(), navigation.declaredType, options.filter)
                    .map { project(it, navigation.declaredType, options.copy(filter = null)) },
            )
        }
    }

    private fun property(declared: MetadataType, name: String): FilterProperty<MetadataNode> {
        if (name !in declared.properties) throw ApiErrors.propertyNotFound(name, declared.qualifiedName)
        val kind = declared.properties[name]
            ?: throw ApiErrors.badRequest("The property '$name' of '${declared.qualifiedName}' has a complex value and cannot be used in \$filter.")
        return FilterProperty(name, kind) { node -> normalize(node.properties[name], kind) }
    }

    private fun normalize(element: JsonElement?, kind: ValueKind): Any? {
        val primitive = element as? JsonPrimitive ?: return null
        if (primitive is JsonNull) return null
        return when (kind) {
            ValueKind.BOOLEAN -> primitive.booleanOrNull
            ValueKind.INT32, ValueKind.INT64 -> primitive.content.toLongOrNull()
            ValueKind.DECIMAL -> primitive.content.toBigDecimalOrNull()
            ValueKind.GUID -> primitive.content.lowercase(Locale.ROOT)
            else -> primitive.content
        }
    }

    private const val METADATA_ID = "MetadataId"
}
