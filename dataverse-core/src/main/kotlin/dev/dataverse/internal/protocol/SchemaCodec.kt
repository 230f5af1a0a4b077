package dev.dataverse.internal.protocol

import dev.dataverse.AlternateKeyInfo
import dev.dataverse.AlternateKeySpec
import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnSpec
import dev.dataverse.ManyToManySpec
import dev.dataverse.OneToManySpec
import dev.dataverse.RelationshipInfo
import dev.dataverse.TableInfo
import dev.dataverse.TableListOptions
import dev.dataverse.TableSpec
import dev.dataverse.internal.protocol.json.JsonWriter
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.UUID

/**
 * The requests of the metadata Web API that changes and reads schema (WIRE.md §7; Learn: "Create and update table
 * definitions using the Web API", "Create and update column definitions using the Web API", "Create and update table
 * relationships using the Web API", "Define alternate keys using the Web API"), and the reading of their answers through
 * [SchemaResponses]. Payloads are [SchemaPayloads]' trees, written to bytes. Pure; [consistency] is the
 * `Consistency: Strong` header while the client's own change settles.
 */
internal object SchemaCodec {
    /** The table properties every read of a table selects. */
    const val TABLE_SELECT: String =
        "MetadataId,LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName," +
            "DisplayCollectionName,IsCustomEntity,OwnershipType,ChangeTrackingEnabled,TableType"

    /** `GET EntityDefinitions?$select=...&$filter=IsPrivate eq false[ and IsCustomEntity eq true][ and (<filter>)]`. */
    fun tables(options: TableListOptions): ApiRequest {
        val filter = listOfNotNull("IsPrivate eq false", "IsCustomEntity eq true".takeIf { options.customOnly }, options.filter?.let { "($it)" })
            .joinToString(" and ")
        return ApiRequest(HttpMethod.Get, "EntityDefinitions" + QueryStrings.queryString(listOf("\$select" to TABLE_SELECT, "\$filter" to filter)))
    }

    /** The tables of a [tables] answer, by logical name. */
    fun tables(response: ApiResponse): List<TableInfo> =
        SchemaResponses.values(response.body, "EntityDefinitions").map(SchemaResponses::table).sortedBy { it.logicalName }

    /** `GET EntityDefinitions(LogicalName='x')?$select=...`. */
    fun table(name: TableName, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get, MetadataPaths.entity(name.value) + QueryStrings.queryString(listOf("\$select" to TABLE_SELECT)), headers = consistency,
    )

    fun table(response: ApiResponse): TableInfo = SchemaResponses.table(Responses.jsonObject(response.body, "EntityDefinitions"))

    /** `GET EntityDefinitions(LogicalName='x')`: the whole definition, to be written back with a change. */
    fun definition(name: TableName, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value), headers = consistency)

    fun definition(response: ApiResponse): JsonObject = Responses.jsonObject(response.body, "EntityDefinitions")

    /** `POST EntityDefinitions` with the table and its primary name column. */
    fun createTable(spec: TableSpec): ApiRequest = ApiRequest(HttpMethod.Post, "EntityDefinitions", body = json(SchemaPayloads.table(spec)))

    /**
     * `PUT EntityDefinitions(<id>)` of [definition] with change tracking on. `MSCRM.MergeLabels: true` keeps the labels
     * of other languages, as Learn asks for a `PUT` of a definition.
     */
    fun enableChangeTracking(metadataId: UUID, definition: JsonObject): ApiRequest = ApiRequest(
        HttpMethod.Put, "EntityDefinitions($metadataId)", headers = listOf("MSCRM.MergeLabels" to "true"),
        body = json(SchemaPayloads.withChangeTracking(definition)),
    )

    /** `DELETE EntityDefinitions(<id>)`. */
    fun deleteTable(metadataId: UUID): ApiRequest = delete("EntityDefinitions($metadataId)")

    /** `GET EntityDefinitions(LogicalName='x')/Attributes`. */
    fun columns(name: TableName, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/Attributes", headers = consistency)

    fun columns(response: ApiResponse): List<ColumnInfo> =
        SchemaResponses.values(response.body, "Attributes").map(SchemaResponses::column).sortedBy { it.logicalName }

    /** `GET EntityDefinitions(LogicalName='x')/Attributes(LogicalName='y')`. */
    fun column(name: TableName, column: String, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.attribute(name.value, column), headers = consistency)

    fun column(response: ApiResponse): ColumnInfo = SchemaResponses.column(Responses.jsonObject(response.body, "Attributes"))

    /** `POST EntityDefinitions(LogicalName='x')/Attributes` with one column. */
    fun addColumn(name: TableName, spec: ColumnSpec): ApiRequest =
        ApiRequest(HttpMethod.Post, MetadataPaths.entity(name.value) + "/Attributes", body = json(SchemaPayloads.attribute(spec)))

    /** `DELETE EntityDefinitions(LogicalName='x')/Attributes(<id>)`. */
    fun removeColumn(name: TableName, columnId: UUID): ApiRequest = delete(MetadataPaths.entity(name.value) + "/Attributes($columnId)")

    /** The table's relationships of one kind: `.../OneToManyRelationships`, `ManyToOneRelationships`, `ManyToManyRelationships`. */
    enum class RelationshipList(val segment: String) { ONE_TO_MANY("OneToManyRelationships"), MANY_TO_ONE("ManyToOneRelationships"), MANY_TO_MANY("ManyToManyRelationships") }

    fun relationships(name: TableName, list: RelationshipList, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/" + list.segment, headers = consistency)

    /** The relationships of a [relationships] answer. Per-table lists are typed by the list, so items may carry no `@odata.type`. */
    fun relationships(response: ApiResponse, list: RelationshipList): List<RelationshipInfo> =
        SchemaResponses.values(response.body, "Relationships").map { json ->
            val typed = if (json.containsKey("@odata.type") || list != RelationshipList.MANY_TO_MANY) json else JsonObject(json + MANY_TO_MANY_TYPE)
            SchemaResponses.relationship(typed)
        }

    /** `GET RelationshipDefinitions?$filter=SchemaName eq '<name>'`. */
    fun relationship(schemaName: String, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get,
        "RelationshipDefinitions" + QueryStrings.queryString(listOf("\$filter" to "SchemaName eq ${ODataLiterals.quote(schemaName)}")),
        headers = consistency,
    )

    /** The relationship a [relationship] answer found, or `null`. */
    fun relationship(response: ApiResponse): RelationshipInfo? =
        SchemaResponses.values(response.body, "RelationshipDefinitions").firstOrNull()?.let(SchemaResponses::relationship)

    /** `POST RelationshipDefinitions` of a one-to-many relationship, which creates its lookup column. */
    fun createOneToMany(spec: OneToManySpec, referencedPrimaryId: String): ApiRequest =
        ApiRequest(HttpMethod.Post, "RelationshipDefinitions", body = json(SchemaPayloads.oneToMany(spec, referencedPrimaryId)))

    /** `POST RelationshipDefinitions` of a many-to-many relationship. */
    fun createManyToMany(spec: ManyToManySpec): ApiRequest =
        ApiRequest(HttpMethod.Post, "RelationshipDefinitions", body = json(SchemaPayloads.manyToMany(spec)))

    /** `DELETE RelationshipDefinitions(<id>)`. */
    fun deleteRelationship(metadataId: UUID): ApiRequest = delete("RelationshipDefinitions($metadataId)")

    /** `GET EntityDefinitions(LogicalName='x')/Keys`. */
    fun keys(name: TableName, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, MetadataPaths.entity(name.value) + "/Keys", headers = consistency)

    fun keys(response: ApiResponse): List<AlternateKeyInfo> = SchemaResponses.values(response.body, "Keys").map(SchemaResponses::key)

    /** `POST EntityDefinitions(LogicalName='x')/Keys`. */
    fun createKey(name: TableName, spec: AlternateKeySpec): ApiRequest =
        ApiRequest(HttpMethod.Post, MetadataPaths.entity(name.value) + "/Keys", body = json(SchemaPayloads.key(spec)))

    /** `DELETE EntityDefinitions(LogicalName='x')/Keys(<id>)`. */
    fun deleteKey(name: TableName, keyId: UUID): ApiRequest = delete(MetadataPaths.entity(name.value) + "/Keys($keyId)")

    /** Schema deletes carry `If-Match: *`, as Learn's examples do. */
    private fun delete(path: String): ApiRequest = ApiRequest(HttpMethod.Delete, path, headers = listOf("If-Match" to "*"))

    private fun json(tree: JsonElement): RequestBody.Bytes = JsonWriter().value(tree).toBody()

    private val MANY_TO_MANY_TYPE = "@odata.type" to JsonPrimitive("#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata")
}
