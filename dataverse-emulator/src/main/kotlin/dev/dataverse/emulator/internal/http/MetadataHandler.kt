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
import dev.dataverse.emulator.internal.schema.SchemaPayloads
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.Locale

/**
 * Table metadata: `EntityDefinitions` (list, create), a table by `LogicalName='x'` or MetadataId (read, delete), its
 * `Attributes` (list, optionally cast to a derived type such as `PicklistAttributeMetadata` with `$expand=OptionSet`;
 * add; read and delete one), its alternate `Keys` (list, add, read, delete), and its `OneToManyRelationships`,
 * `ManyToOneRelationships` and `ManyToManyRelationships`. Changes answer 204 with `OData-EntityId`, as the service does;
 * a `Consistency: Strong` header is accepted and needs no handling, since every read sees every completed change.
 */
internal class MetadataHandler(private val context: EmulatorContext) {
    private val payloads = SchemaPayloads(context.catalog)

    fun handle(call: ApiCall): ApiResponse {
        checkSolution(call)
        val segments = call.target.segments
        val root = segments[0]
        if (root.keyText == null) {
            if (segments.size > 1) throw ApiErrors.segmentNotFound(segments[1].toString())
            return when (call.method) {
                "GET" -> entityCollection(call)
                "POST" -> createTable(call)
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val table = resolveTable(root)
        val entityPath = "EntityDefinitions(${table.metadataId})"
        val child = segments.getOrNull(1) ?: return when (call.method) {
            "GET" -> single(call, entity(table), MetadataTypes.ENTITY, "EntityDefinitions")
            "DELETE" -> {
                context.schema.deleteTable(table.logicalName)
                ApiResponse.empty(204)
            }
            "PUT" -> updateTable(call, table)
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "PUT", "DELETE"))
        }
        return when (child.name) {
            "Attributes" -> attributes(call, table, child, segments.drop(2), "$entityPath/Attributes")
            "Keys" -> keys(call, table, child, segments.drop(2), "$entityPath/Keys")
            "OneToManyRelationships" -> relationships(call, child, segments.drop(2), MetadataTypes.ONE_TO_MANY, "$entityPath/${child.name}") {
                MetadataDocuments.oneToMany(context.catalog, table)
            }
            "ManyToOneRelationships" -> relationships(call, child, segments.drop(2), MetadataTypes.ONE_TO_MANY, "$entityPath/${child.name}") {
                MetadataDocuments.manyToOne(context.catalog, table)
            }
            "ManyToManyRelationships" -> relationships(call, child, segments.drop(2), MetadataTypes.MANY_TO_MANY, "$entityPath/${child.name}") {
                MetadataDocuments.manyToMany(context.catalog, table)
            }
            else -> throw ApiErrors.segmentNotFound(child.toString())
        }
    }

    /** `RelationshipDefinitions`: list (optionally cast), create, and one relationship by MetadataId or SchemaName (read, delete). */
    fun handleRelationships(call: ApiCall): ApiResponse {
        checkSolution(call)
        val segments = call.target.segments
        val root = segments[0]
        val cast = segments.getOrNull(1)?.let { MetadataTypes.relationshipCast(it.name) ?: throw ApiErrors.segmentNotFound(it.toString()) }
        if (segments.size > 2) throw ApiErrors.segmentNotFound(segments[2].toString())
        val declared = cast ?: MetadataTypes.RELATIONSHIP
        val contextPath = if (cast != null) "RelationshipDefinitions/${cast.qualifiedName}" else "RelationshipDefinitions"
        val all = MetadataDocuments.relationships(context.catalog)
        if (root.keyText == null) {
            return when (call.method) {
                "GET" -> collection(call, all.filter { it.type.isA(declared) }, declared, contextPath)
                "POST" -> if (cast == null) createRelationship(call) else throw ApiErrors.methodNotAllowed("POST", listOf("GET"))
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val node = resolveNode(root, all, "relationship", null, "SchemaName")
        if (!node.type.isA(declared)) throw ApiErrors.segmentNotFound(segments[1].toString())
        return when (call.method) {
            "GET" -> single(call, node, declared, contextPath)
            "DELETE" -> {
                context.schema.deleteRelationship(node.text("SchemaName")!!)
                ApiResponse.empty(204)
            }
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "DELETE"))
        }
    }

    /**
     * `GlobalOptionSetDefinitions` (Learn: "Work with choice columns using the Web API", global choices): list, create
     * (`OptionSetMetadata`), and one global choice by MetadataId or `Name='...'` (read, delete), each optionally cast to
     * `Microsoft.Dynamics.CRM.OptionSetMetadata` as DynamicsWebApi's `castType` sends it.
     */
    fun handleGlobalOptionSets(call: ApiCall): ApiResponse {
        checkSolution(call)
        val segments = call.target.segments
        val root = segments[0]
        segments.getOrNull(1)?.let { cast ->
            if (cast.name != MetadataTypes.OPTION_SET.qualifiedName || cast.keyText != null || call.method != "GET") throw ApiErrors.segmentNotFound(cast.toString())
        }
        if (segments.size > 2) throw ApiErrors.segmentNotFound(segments[2].toString())
        val all = context.catalog.globalOptionSets().map(MetadataDocuments::globalOptionSet)
        val contextPath = "GlobalOptionSetDefinitions" + if (segments.size == 2) "/${MetadataTypes.OPTION_SET.qualifiedName}" else ""
        if (root.keyText == null) {
            return when (call.method) {
                "GET" -> collection(call, all, MetadataTypes.OPTION_SET, contextPath)
                "POST" -> {
                    val optionSet = payloads.globalOptionSet(context.payloads.parseObject(call.request.body))
                    context.schema.createGlobalOptionSet(optionSet)
                    context.solutions.record(call, "optionset", optionSet.name)
                    ApiResponse.empty(204, listOf(entityId("GlobalOptionSetDefinitions(${optionSet.metadataId})")))
                }
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val node = resolveNode(root, all.ifEmpty { listOf(MetadataNode(MetadataTypes.OPTION_SET, linkedMapOf())) }, "optionset", null, "Name")
        return when (call.method) {
            "GET" -> single(call, node, MetadataTypes.OPTION_SET, contextPath)
            "DELETE" -> {
                context.schema.deleteGlobalOptionSet(node.text("Name")!!)
                ApiResponse.empty(204)
            }
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "DELETE"))
        }
    }

    /** A schema write naming a solution the emulator lacks is refused before it changes anything. */
    private fun checkSolution(call: ApiCall) {
        if (call.method != "GET") context.solutions.target(call)
    }

    private fun createTable(call: ApiCall): ApiResponse {
        val table = payloads.table(context.payloads.parseObject(call.request.body))
        context.schema.createTable(table)
        context.solutions.record(call, "table", table.logicalName)
        return ApiResponse.empty(204, listOf(entityId("EntityDefinitions(${table.metadataId})")))
    }

    private fun updateTable(call: ApiCall, table: TableDefinition): ApiResponse {
        val body = context.payloads.parseObject(call.request.body)
        val names = listOf("LogicalName", "SchemaName", "EntitySetName").associateWith { (body[it] as? JsonPrimitive)?.takeIf { v -> v.isString }?.content }
        context.schema.updateTable(table.logicalName, payloads.boolean(body, "ChangeTrackingEnabled"), names)
        return ApiResponse.empty(204)
    }

    private fun createRelationship(call: ApiCall): ApiResponse {
        val body = context.payloads.parseObject(call.request.body)
        val id = when (val type = payloads.typeOf(body)) {
            "OneToManyRelationshipMetadata" -> {
                val (referencing, lookup) = payloads.oneToMany(body)
                context.schema.addOneToMany(referencing, lookup)
                lookup.targets.single().relationshipId
            }
            "ManyToManyRelationshipMetadata" -> payloads.manyToMany(body).also(context.schema::addManyToMany).metadataId
            else -> throw ApiErrors.badRequest(
                "The relationship needs an '@odata.type' of Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata or " +
                    "Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata${type?.let { ", not '$it'" }.orEmpty()}.",
            )
        }
        context.solutions.record(call, "relationship", payloads.schemaNameOf(body))
        return ApiResponse.empty(204, listOf(entityId("RelationshipDefinitions($id)")))
    }

    private fun entityCollection(call: ApiCall): ApiResponse {
        val nodes = context.catalog.tables().map(::entity)
        return collection(call, nodes, MetadataTypes.ENTITY, "EntityDefinitions")
    }

    private fun entity(table: TableDefinition): MetadataNode = MetadataDocuments.entity(table, context.catalog, context.schema.now())

    private fun attributes(call: ApiCall, table: TableDefinition, segment: PathSegment, rest: List<PathSegment>, path: String): ApiResponse {
        val all = MetadataDocuments.attributes(table)
        val castSegment = rest.firstOrNull()
        if (rest.size > 1) throw ApiErrors.segmentNotFound(rest[1].toString())
        val cast = castSegment?.let { MetadataTypes.attributeCast(it.name) ?: throw ApiErrors.segmentNotFound(it.toString()) }
        val declared = cast ?: MetadataTypes.ATTRIBUTE
        val contextPath = if (cast != null) "$path/${cast.qualifiedName}" else path
        if (segment.keyText == null) {
            return when (call.method) {
                "GET" -> collection(call, all.filter { it.type.isA(declared) }, declared, contextPath)
                "POST" -> {
                    if (cast != null) throw ApiErrors.methodNotAllowed("POST", listOf("GET"))
                    val columns = payloads.columns(table.logicalName, context.payloads.parseObject(call.request.body))
                    context.schema.addColumns(table.logicalName, columns)
                    columns.forEach { context.solutions.record(call, "column", "${table.logicalName}.${it.logicalName}") }
                    ApiResponse.empty(204, listOf(entityId("$path(${columns.first().metadataId})")))
                }
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val node = resolveNode(segment, all, "attribute", table.logicalName, "LogicalName")
        if (!node.type.isA(declared)) throw ApiErrors.segmentNotFound(castSegment.toString())
        return when (call.method) {
            "GET" -> single(call, node, declared, contextPath)
            "DELETE" -> {
                context.schema.removeColumn(table.logicalName, table.column(node.text("LogicalName")!!)!!)
                ApiResponse.empty(204)
            }
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "DELETE"))
        }
    }

    private fun keys(call: ApiCall, table: TableDefinition, segment: PathSegment, rest: List<PathSegment>, path: String): ApiResponse {
        if (rest.isNotEmpty()) throw ApiErrors.segmentNotFound(rest[0].toString())
        val now = context.schema.now()
        val all = table.keys.map { MetadataDocuments.key(table, it, now) }
        if (segment.keyText == null) {
            return when (call.method) {
                "GET" -> collection(call, all, MetadataTypes.KEY, path)
                "POST" -> {
                    val (schemaName, displayName, attributes) = payloads.key(context.payloads.parseObject(call.request.body))
                    val key = context.schema.addKey(table.logicalName, schemaName, displayName, attributes)
                    context.solutions.record(call, "key", "${table.logicalName}.$schemaName")
                    ApiResponse.empty(204, listOf(entityId("$path(${key.metadataId})")))
                }
                else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "POST"))
            }
        }
        val node = resolveNode(segment, all, "key", table.logicalName, "LogicalName")
        return when (call.method) {
            "GET" -> single(call, node, MetadataTypes.KEY, path)
            "DELETE" -> {
                context.schema.removeKey(table.logicalName, node.text("LogicalName")!!)
                ApiResponse.empty(204)
            }
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("GET", "DELETE"))
        }
    }

    private fun relationships(
        call: ApiCall,
        segment: PathSegment,
        rest: List<PathSegment>,
        declared: MetadataType,
        path: String,
        nodes: () -> List<MetadataNode>,
    ): ApiResponse {
        if (rest.isNotEmpty()) throw ApiErrors.segmentNotFound(rest[0].toString())
        if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
        if (segment.keyText == null) return collection(call, nodes(), declared, path)
        return single(call, resolveNode(segment, nodes(), "relationship", null, "SchemaName"), declared, path)
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

    private fun entityId(path: String): Pair<String, String> = "OData-EntityId" to "${context.apiUrl}/$path"

    private fun resolveTable(segment: PathSegment): TableDefinition {
        val catalog = context.catalog
        return when (val key = metadataKey(segment, MetadataTypes.ENTITY, "LogicalName")) {
            is Literal.Guid -> catalog.tableByMetadataId(key.value) ?: throw notFound("entity", "MetadataId = ${key.value}")
            is Literal.Text -> catalog.table(key.value) ?: throw notFound("entity", "LogicalName = '${key.value}'")
            else -> throw ApiErrors.invalidKey(MetadataTypes.ENTITY.qualifiedName)
        }
    }

    /** The node [segment]'s key names, by MetadataId or by its [nameProperty] (`LogicalName`, `SchemaName`). */
    private fun resolveNode(segment: PathSegment, nodes: List<MetadataNode>, kind: String, table: String?, nameProperty: String): MetadataNode {
        val declared = nodes.firstOrNull()?.type ?: MetadataTypes.ATTRIBUTE
        val where = table?.let { " on entity '$it'" }.orEmpty()
        return when (val key = metadataKey(segment, declared, nameProperty)) {
            is Literal.Guid -> nodes.firstOrNull { it.text("MetadataId") == key.value.toString() }
                ?: throw notFound(kind, "MetadataId = ${key.value}$where")
            is Literal.Text -> nodes.firstOrNull { it.text(nameProperty)?.lowercase(Locale.ROOT) == key.value.lowercase(Locale.ROOT) }
                ?: throw notFound(kind, "$nameProperty = '${key.value}'$where")
            else -> throw ApiErrors.invalidKey(declared.qualifiedName)
        }
    }

    /** The MetadataId ([Literal.Guid]) or [nameProperty] ([Literal.Text]) a metadata key segment names. */
    private fun metadataKey(segment: PathSegment, type: MetadataType, nameProperty: String): Literal {
        val invalid = ApiErrors.invalidKey(type.qualifiedName)
        return when (val predicate = KeyPredicate.parse(segment.keyText!!)) {
            is KeyPredicate.Single -> predicate.value.takeIf { it is Literal.Guid } ?: throw invalid
            is KeyPredicate.Named -> {
                val (name, value) = predicate.values.entries.singleOrNull()?.toPair() ?: throw invalid
                when {
                    name == nameProperty && value is Literal.Text -> value
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
