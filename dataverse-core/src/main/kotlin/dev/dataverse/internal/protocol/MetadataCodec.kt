package dev.dataverse.internal.protocol

import dev.dataverse.ChoiceOptions
import dev.dataverse.internal.protocol.json.JsonDocuments
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonPrimitive

/**
 * The reads the client's metadata caches make (Learn: "Query table definitions using the Web API"): a table's
 * definition by logical name (and, for a better error, by entity set name), its column names, the options of its
 * choice-like columns through the attribute casts, and its single-valued navigation properties. Pure: requests out,
 * answers in. [consistency] is the `Consistency: Strong` header while the client's own schema change settles.
 */
internal object MetadataCodec {
    /** `EntityDefinitions?$select=...&$filter=LogicalName eq 'account'`. */
    fun table(name: TableName, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, TableMetadata.lookupPath(name.value), headers = consistency)

    /** The table's definition; `null` when the table does not exist (an empty `value`). */
    fun table(response: ApiResponse, name: TableName): TableMetadata? = TableMetadata.parse(response.body, name.value)

    /** `EntityDefinitions?$select=LogicalName&$filter=EntitySetName eq 'accounts'`: asked only after a lookup found nothing. */
    fun tableBySet(entitySetName: String): ApiRequest = ApiRequest(HttpMethod.Get, TableMetadata.entitySetLookupPath(entitySetName))

    /** The logical name of the table whose entity set was asked for; `null` when there is none. */
    fun logicalNameOf(response: ApiResponse): String? = TableMetadata.parseLogicalName(response.body)

    /** `EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName`. */
    fun columns(name: TableName, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get,
        MetadataPaths.entity(name.value) + "/Attributes" + QueryStrings.queryString(listOf("\$select" to "LogicalName")),
        headers = consistency,
    )

    /** The logical names of the columns, as the service wrote them. */
    fun columnNames(response: ApiResponse): Set<String> =
        SchemaResponses.values(response.body, "Attributes").mapNotNullTo(HashSet()) { (it["LogicalName"] as? JsonPrimitive)?.content }

    /** `.../Attributes/Microsoft.Dynamics.CRM.<cast>?$select=LogicalName&$expand=OptionSet($select=<options>)`. */
    fun choices(name: TableName, castType: String, optionSelect: String, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get,
        MetadataPaths.entity(name.value) + "/Attributes/Microsoft.Dynamics.CRM.$castType" +
            QueryStrings.queryString(listOf("\$select" to "LogicalName", "\$expand" to "OptionSet(\$select=$optionSelect)")),
        headers = consistency,
    )

    /** The options of each column of the answer, by lower-case column name. */
    fun choices(response: ApiResponse, name: TableName, multiSelect: Boolean): Map<String, ChoiceOptions> =
        SchemaResponses.values(response.body, "Attributes")
            .map { SchemaResponses.options(name.value, it, multiSelect) }
            .associateBy { it.column.lowercase() }

    /** `.../ManyToOneRelationships?$select=SchemaName,ReferencingEntityNavigationPropertyName`. */
    fun navigations(name: TableName, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get,
        MetadataPaths.entity(name.value) + "/ManyToOneRelationships" +
            QueryStrings.queryString(listOf("\$select" to "SchemaName,ReferencingEntityNavigationPropertyName")),
        headers = consistency,
    )

    /** The single-valued navigation property names (case-sensitive) of the answer. */
    fun singleValuedNavigations(response: ApiResponse): Set<String> =
        SchemaResponses.values(response.body, "ManyToOneRelationships")
            .mapNotNullTo(HashSet()) { JsonDocuments.stringOrNull(it["ReferencingEntityNavigationPropertyName"]) }

    /**
     * The relationship lists that give each navigation property of a table its target table (Learn: "Query table
     * definitions using the Web API", relationship definitions): a lookup's target is the `ReferencedEntity` of a
     * many-to-one relationship, a one-to-many collection's the `ReferencingEntity`, a many-to-many collection's the
     * other entity.
     */
    enum class Relationships(val path: String, val select: String) {
        MANY_TO_ONE("ManyToOneRelationships", "ReferencingEntityNavigationPropertyName,ReferencedEntity"),
        ONE_TO_MANY("OneToManyRelationships", "ReferencedEntityNavigationPropertyName,ReferencingEntity"),
        MANY_TO_MANY("ManyToManyRelationships", "Entity1LogicalName,Entity1NavigationPropertyName,Entity2LogicalName,Entity2NavigationPropertyName"),
    }

    /** `.../<kind>?$select=<the navigation property and target names>`. */
    fun navigationTargets(name: TableName, kind: Relationships, consistency: List<Pair<String, String>>): ApiRequest = ApiRequest(
        HttpMethod.Get,
        MetadataPaths.entity(name.value) + "/" + kind.path + QueryStrings.queryString(listOf("\$select" to kind.select)),
        headers = consistency,
    )

    /** Navigation property name (case-sensitive) to the logical name of the table it leads to, for [name]'s relationships of [kind]. */
    fun navigationTargets(response: ApiResponse, name: TableName, kind: Relationships): Map<String, String> {
        val targets = HashMap<String, String>()
        for (item in SchemaResponses.values(response.body, kind.path)) {
            fun text(property: String) = JsonDocuments.stringOrNull(item[property])
            when (kind) {
                Relationships.MANY_TO_ONE -> pair(text("ReferencingEntityNavigationPropertyName"), text("ReferencedEntity"))?.let { targets += it }
                Relationships.ONE_TO_MANY -> pair(text("ReferencedEntityNavigationPropertyName"), text("ReferencingEntity"))?.let { targets += it }
                Relationships.MANY_TO_MANY -> {
                    val entity1 = text("Entity1LogicalName")
                    val entity2 = text("Entity2LogicalName")
                    if (entity1.equals(name.value, ignoreCase = true)) pair(text("Entity1NavigationPropertyName"), entity2)?.let { targets += it }
                    if (entity2.equals(name.value, ignoreCase = true)) pair(text("Entity2NavigationPropertyName"), entity1)?.let { targets += it }
                }
            }
        }
        return targets
    }

    private fun pair(navigation: String?, target: String?): Pair<String, String>? =
        if (navigation.isNullOrEmpty() || target.isNullOrEmpty() || !Identifiers.isIdentifier(target)) null else navigation to target.lowercase()
}
