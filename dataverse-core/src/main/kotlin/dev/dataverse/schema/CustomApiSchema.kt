package dev.dataverse.schema

import dev.dataverse.internal.schema.toJson
import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.InvalidInputException

/**
 * A custom API (Learn "Custom API tables": `customapi` with its `customapirequestparameter` and
 * `customapiresponseproperty` rows), as a schema snapshot records it.
 *
 * A function (`IsFunction`) is called with `GET` and its parameters in the URL; an action with `POST` and a JSON body.
 */
public class CustomApiSchema @JvmOverloads constructor(
    /** The unique name, which is also the message name in URLs, e.g. `new_Ping`. */
    public val uniqueName: String,
    /** What the API is bound to. */
    public val bindingType: CustomApiBindingType,
    /** The table the API is bound to (`BoundEntityLogicalName`); `null` for a [CustomApiBindingType.GLOBAL] API. */
    public val boundTable: String?,
    /** Whether the API is a function (`GET`) rather than an action (`POST`). */
    public val isFunction: Boolean,
    requestParameters: List<CustomApiParameterSchema> = emptyList(),
    responseProperties: List<CustomApiPropertySchema> = emptyList(),
) {
    /** The request parameters, ordered by unique name. */
    public val requestParameters: List<CustomApiParameterSchema> =
        SchemaChecks.sortedUnique(requestParameters, "request parameters of '$uniqueName'") { it.uniqueName }

    /** The response properties, ordered by unique name. */
    public val responseProperties: List<CustomApiPropertySchema> =
        SchemaChecks.sortedUnique(responseProperties, "response properties of '$uniqueName'") { it.uniqueName }

    init {
        SchemaChecks.name(uniqueName, "uniqueName")
        SchemaChecks.optional(boundTable, "boundTable")
        if (bindingType != CustomApiBindingType.GLOBAL && boundTable == null) {
            throw InvalidInputException("The custom API '$uniqueName' is bound (${bindingType.formatName()}) and needs its 'boundTable'.")
        }
    }

    override fun equals(other: Any?): Boolean = other is CustomApiSchema && other.toJson() == toJson()

    override fun hashCode(): Int = uniqueName.hashCode()

    override fun toString(): String = "CustomApiSchema($uniqueName, ${bindingType.formatName()}, function=$isFunction)"

}

/**
 * A request parameter of a [CustomApiSchema] (`customapirequestparameter`).
 *
 * [type] is Learn's name of the `Type` choice: `Boolean`, `DateTime`, `Decimal`, `Entity`, `EntityCollection`,
 * `EntityReference`, `Float`, `Integer`, `Money`, `Picklist`, `String`, `StringArray` or `Guid`.
 */
public class CustomApiParameterSchema @JvmOverloads constructor(
    /** The parameter's unique name, as it appears in the request, e.g. `Text`. */
    public val uniqueName: String,
    /** The parameter's type; see the class description. */
    public val type: String,
    /** Whether the caller may leave the parameter out (`IsOptional`). */
    public val isOptional: Boolean,
    /** The table of an `Entity`, `EntityCollection` or `EntityReference` parameter (`LogicalEntityName`), when set. */
    public val table: String? = null,
) {
    init {
        SchemaChecks.name(uniqueName, "uniqueName")
        SchemaChecks.name(type, "type")
        SchemaChecks.optional(table, "table")
    }

    override fun equals(other: Any?): Boolean = other is CustomApiParameterSchema && other.toJson() == toJson()

    override fun hashCode(): Int = uniqueName.hashCode()

    override fun toString(): String = "$uniqueName: $type${if (isOptional) "?" else ""}"

}

/**
 * A response property of a [CustomApiSchema] (`customapiresponseproperty`); [type] takes the same names as
 * [CustomApiParameterSchema.type].
 */
public class CustomApiPropertySchema @JvmOverloads constructor(
    /** The property's unique name, as it appears in the response, e.g. `Echo`. */
    public val uniqueName: String,
    /** The property's type; see [CustomApiParameterSchema.type]. */
    public val type: String,
    /** The table of an `Entity`, `EntityCollection` or `EntityReference` property (`LogicalEntityName`), when set. */
    public val table: String? = null,
) {
    init {
        SchemaChecks.name(uniqueName, "uniqueName")
        SchemaChecks.name(type, "type")
        SchemaChecks.optional(table, "table")
    }

    override fun equals(other: Any?): Boolean = other is CustomApiPropertySchema && other.toJson() == toJson()

    override fun hashCode(): Int = uniqueName.hashCode()

    override fun toString(): String = "$uniqueName: $type"

}
