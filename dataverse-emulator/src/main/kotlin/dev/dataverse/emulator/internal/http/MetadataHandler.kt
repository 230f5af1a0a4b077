package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.metadata.MetadataDocuments
import dev.dataverse.emulator.internal.metadata.MetadataNode
import dev.dataverse.emulator.internal.metadata.MetadataProjector
import dev.dataverse.emulator.internal.metadata.MetadataType
import dev.dataverse.emulator.internal.metadata.MetadataTypes
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.KeyPredicate
import dev.dataverse.emulator.internal.odata.Literal
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.odata.QueryOptions
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.Locale

/**
 * Read access to table metadata: `EntityDefinitions`, a table by `LogicalName='x'` or MetadataId, its
 * `Attributes` (optionally cast to a derived attribute type such as `PicklistAttributeMetadata`, with
 * `$expand=OptionSet`) and its alternate `Keys`.
 */
internal class MetadataHandler(private val context: EmulatorContext) {

    fun handle(call: ApiCall): ApiResponse {
        if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
        val segments = call.target.segments
        val root = segments[0]
        if (root.keyText == null) {
            if (segments.size > 1) throw ApiErrors.segmentNotFound(segments[1].toString())
            return entityCollection(call)
        }
        val table = resolveTable(root)
        val entityPath = "EntityDefinitions(${table.metadataId})"
        val child = segments.getOrNull(1) ?: return single(call, MetadataDocuments.entity(table), MetadataTypes.ENTITY, "EntityDefinitions")
        return when (child.name) {
            "Attributes" -> attributes(call, table, child, segments.drop(2), "$entityPath/Attributes")
            "Keys" -> keys(call, table, child, segments.drop(2), "$entityPath/Keys")
            else -> throw ApiErrors.segmentNotFound(child.toString())
        }
    }

    private fun entityCollection(call: ApiCall): ApiResponse {
        val nodes = context.catalog.tables().map(MetadataDocuments::entity)
        return collection(call, nodes, MetadataTypes.ENTITY, "EntityDefinitions")
    }

    private fun attributes(call: ApiCall, table: TableDefinition, segment: PathSegment, rest: List<PathSegment>, path: String): ApiResponse {
        val all = MetadataDocuments.attributes(table)
        val castSegment = rest.firstOrNull()
        if (rest.size > 1) throw ApiErrors.segmentNotFound(rest[1].toString())
        val cast = castSegment?.let { MetadataTypes.attributeCast(it.name) ?: throw ApiErrors.segmentNotFound(it.toString()) }
        val declared = cast ?: MetadataTypes.ATTRIBUTE
        val contextPath = if (cast != null) "$path/${cast.qualifiedName}" else path
        if (segment.keyText == null) {
            return collection(call, all.filter { it.type.isA(declared) }, declared, contextPath)
        }
        val node = resolveNode(segment, all, "attribute", table.logicalName)
        if (!node.type.isA(declared)) throw ApiErrors.segmentNotFound(castSegment.toString())
        return single(call, node, declared, contextPath)
    }

    private fun keys(call: ApiCall, table: TableDefinition, segment: PathSegment, rest: List<PathSegment>, path: String): ApiResponse {
        if (rest.isNotEmpty()) throw ApiErrors.segmentNotFound(rest[0].toString())
        val all = table.keys.map { MetadataDocuments.key(table, it) }
        if (segment.keyText == null) return collection(call, all, MetadataTypes.KEY, path)
        return single(call, resolveNode(segment, all, "key", table.logicalName), MetadataTypes.KEY, path)
    }

    private fun collection(call: ApiCall, nodes: List<MetadataNode>, declared: MetadataType, contextPath: String): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, COLLECTION_OPTIONS)
        val matching = MetadataProjector.filter(nodes, declared, options.filter)
        val contextUrl = JsonPrimitive("${context.apiUrl}/\$metadata#$contextPath${contextSelect(options)}")
        val value = JsonArray(matching.map { MetadataProjector.project(it, declared, options) })
        return ApiResponse.json(200, JsonObject(mapOf("@odata.context" to contextUrl, "value" to value)))
    }

    private fun single(call: ApiCall, node: MetadataNode, declared: MetadataType, contextPath: String): ApiResponse {
        val options = QueryOptions.parse(call.target.parameters, SINGLE_OPTIONS)
        val projected = MetadataProjector.project(node, declared, options)
        val contextUrl = JsonPrimitive("${context.apiUrl}/\$metadata#$contextPath${contextSelect(options)}/\$entity")
        return ApiResponse.json(200, JsonObject(mapOf("@odata.context" to contextUrl) + projected))
    }

    private fun resolveTable(segment: PathSegment): TableDefinition {
        val catalog = context.catalog
        return when (val key = metadataKey(segment, MetadataTypes.ENTITY)) {
            is Literal.Guid -> catalog.tableByMetadataId(key.value) ?: throw notFound("entity", "MetadataId = ${key.value}")
            is Literal.Text -> catalog.table(key.value) ?: throw notFound("entity", "LogicalName = '${key.value}'")
            else -> throw ApiErrors.invalidKey(MetadataTypes.ENTITY.qualifiedName)
        }
    }

    private fun resolveNode(segment: PathSegment, nodes: List<MetadataNode>, kind: String, table: String): MetadataNode {
        val declared = nodes.firstOrNull()?.type ?: MetadataTypes.ATTRIBUTE
        return when (val key = metadataKey(segment, declared)) {
            is Literal.Guid -> nodes.firstOrNull { it.text("MetadataId") == key.value.toString() }
                ?: throw notFound(kind, "MetadataId = ${key.value} on entity '$table'")
            is Literal.Text -> nodes.firstOrNull { it.text("LogicalName") == key.value.lowercase(Locale.ROOT) }
                ?: throw notFound(kind, "LogicalName = '${key.value}' on entity '$table'")
            else -> throw ApiErrors.invalidKey(declared.qualifiedName)
        }
    }

    /** The MetadataId ([Literal.Guid]) or LogicalName ([Literal.Text]) a metadata key segment names. */
    private fun metadataKey(segment: PathSegment, type: MetadataType): Literal {
        val invalid = ApiErrors.invalidKey(type.qualifiedName)
        return when (val predicate = KeyPredicate.parse(segment.keyText!!)) {
            is KeyPredicate.Single -> predicate.value.takeIf { it is Literal.Guid } ?: throw invalid
            is KeyPredicate.Named -> {
                val (name, value) = predicate.values.entries.singleOrNull()?.toPair() ?: throw invalid
                when {
                    name == "LogicalName" && value is Literal.Text -> value
                    name == "MetadataId" && value is Literal.Guid -> value
                    else -> throw invalid
                }
            }
            else -> throw invalid
        }
    }

    private fun MetadataNode.text(property: String): String? = (properties[property] as? JsonPrimitive)?.content

    private fun notFound(kind: String, what: String) =
        ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "Could not find $kind with $what.")

    private fun contextSelect(options: QueryOptions): String {
        val parts = options.select.orEmpty() + options.expand.map { "${it.navigation}(${it.options.select?.joinToString(",").orEmpty()})" }
        return if (parts.isEmpty()) "" else parts.joinToString(",", "(", ")")
    }

    private companion object {
        val COLLECTION_OPTIONS = setOf("\$select", "\$filter", "\$expand")
        val SINGLE_OPTIONS = setOf("\$select", "\$expand")
    }
}
