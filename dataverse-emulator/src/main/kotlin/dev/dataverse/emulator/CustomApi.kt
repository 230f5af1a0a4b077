package dev.dataverse.emulator

import dev.dataverse.emulator.internal.messages.CustomApiNames
import java.util.UUID

/**
 * A custom API the emulator serves, so code that calls your own Dataverse messages can be tested against the emulator:
 * its unique name, whether it is a function or an action, what it is bound to, its request parameters and response
 * properties (Learn: "Create and use custom APIs"), and a [handler] that plays the part of its plug-in.
 *
 * ```kotlin
 * emulator.registerCustomApi(
 *     CustomApi(
 *         uniqueName = "sample_Greet",
 *         requestParameters = listOf(CustomApiParameter("Name", CustomApiType.STRING)),
 *         responseProperties = listOf(CustomApiProperty("Greeting", CustomApiType.STRING)),
 *     ) { call -> mapOf("Greeting" to "Hello, ${call.parameters["Name"]}") },
 * )
 * ```
 * The emulator checks calls as the service does before the handler runs: the HTTP method (`GET` for functions, `POST`
 * for actions), the binding, unknown and missing parameters, and each value against its declared type; the handler gets
 * typed values ([CustomApiInvocation.parameters]) and returns the response properties by name. A handler that throws
 * [CustomApiFailure] answers as a failing plug-in does (400, `0x80040265`, with its message); one that throws anything
 * else, an [Error] included, as plug-in code failing unexpectedly (500, `0x80040224` IsvUnExpected, "An unexpected error
 * occurred from ISV code."; the status is a guess). A handler still running at the emulator's request timeout is
 * answered with the timeout error (see [EmulatorOptions.requestTimeout]).
 */
public class CustomApi @JvmOverloads constructor(
    /** The unique name clients call, with its publisher prefix, e.g. `sample_Greet`. Case-sensitive. */
    public val uniqueName: String,
    /** `true` for a function (`GET`, no side effects, at least one response property), `false` for an action (`POST`). */
    public val isFunction: Boolean = false,
    /** What the API is bound to; [CustomApiBindingType.GLOBAL] (unbound) by default. */
    public val bindingType: CustomApiBindingType = CustomApiBindingType.GLOBAL,
    /** The table a bound API is bound to (logical name); required for bound APIs, null for global ones. */
    public val boundEntityLogicalName: String? = null,
    requestParameters: List<CustomApiParameter> = emptyList(),
    responseProperties: List<CustomApiProperty> = emptyList(),
    /** What the API does when called; returns the response properties by unique name. */
    public val handler: CustomApiHandler,
) {
    /** The request parameters, in order. */
    public val requestParameters: List<CustomApiParameter> = requestParameters.toList()

    /** The response properties; none means the action answers `204 No Content`. */
    public val responseProperties: List<CustomApiProperty> = responseProperties.toList()

    init {
        require(CustomApiNames.isValid(uniqueName)) { "'$uniqueName' is not a valid unique name: letters, digits and underscores, starting with a letter or underscore." }
        require((bindingType == CustomApiBindingType.GLOBAL) == (boundEntityLogicalName == null)) {
            "A bound custom API needs 'boundEntityLogicalName', and a global one must not have it."
        }
        require(!isFunction || this.responseProperties.isNotEmpty()) { "A function must have at least one response property." }
        val names = this.requestParameters.map { it.uniqueName } + this.responseProperties.map { it.uniqueName }
        require(this.requestParameters.map { it.uniqueName }.toSet().size == this.requestParameters.size) { "Request parameter names must be unique." }
        require(this.responseProperties.map { it.uniqueName }.toSet().size == this.responseProperties.size) { "Response property names must be unique." }
        names.forEach { require(CustomApiNames.isValid(it)) { "'$it' is not a valid parameter or property name." } }
    }

    override fun toString(): String = "CustomApi($uniqueName, ${if (isFunction) "function" else "action"}, $bindingType)"
}

/** What a custom API is bound to (the `BindingType` choice of a custom API). */
public enum class CustomApiBindingType {
    /** Unbound: `/{uniqueName}`. */
    GLOBAL,

    /** Bound to a record: `/{set}({id})/Microsoft.Dynamics.CRM.{uniqueName}`. */
    ENTITY,

    /** Bound to a table's entity set: `/{set}/Microsoft.Dynamics.CRM.{uniqueName}`. */
    ENTITY_COLLECTION,
}

/**
 * The type of a custom API request parameter or response property (the `Type` choice of `customapirequestparameter`),
 * and the Java type the handler sees for it.
 */
public enum class CustomApiType {
    /** `Boolean`. */
    BOOLEAN,

    /** `java.time.Instant`. */
    DATE_TIME,

    /** `java.math.BigDecimal`. */
    DECIMAL,

    /** A record as a `Map<String, Any?>` of its columns (with its `@odata.type`). */
    ENTITY,

    /** A `List` of records as maps. */
    ENTITY_COLLECTION,

    /** A [CustomApiReference]. */
    ENTITY_REFERENCE,

    /** `Double`. */
    FLOAT,

    /** `Int`. */
    INTEGER,

    /** `java.math.BigDecimal`. */
    MONEY,

    /** `Int`, the option's value. */
    PICKLIST,

    /** `String`. */
    STRING,

    /** `List<String>`. */
    STRING_ARRAY,

    /** `java.util.UUID`. */
    GUID,
}

/** A request parameter of a [CustomApi]. */
public class CustomApiParameter @JvmOverloads constructor(
    /** The name clients pass the parameter by (case-sensitive). */
    public val uniqueName: String,
    /** Its type; values of another type are refused before the handler runs. */
    public val type: CustomApiType,
    /** Whether callers may leave it out (the handler then sees no entry for it). */
    public val isOptional: Boolean = false,
) {
    override fun toString(): String = "$uniqueName: $type${if (isOptional) " (optional)" else ""}"
}

/** A response property of a [CustomApi]. */
public class CustomApiProperty(
    /** The property's name in the response. */
    public val uniqueName: String,
    /** Its type. */
    public val type: CustomApiType,
) {
    override fun toString(): String = "$uniqueName: $type"
}

/** A reference to a record, as an `ENTITY_REFERENCE` parameter arrives in a handler (and may be returned from one). */
public class CustomApiReference(
    /** The table's logical name. */
    public val table: String,
    /** The record's id. */
    public val id: UUID,
) {
    override fun equals(other: Any?): Boolean = other is CustomApiReference && other.table == table && other.id == id

    override fun hashCode(): Int = 31 * table.hashCode() + id.hashCode()

    override fun toString(): String = "CustomApiReference($table, $id)"
}

/** Plays the part of a custom API's plug-in: returns the response properties by name (an empty map for none). */
public fun interface CustomApiHandler {
    /** Handles one call; throw [CustomApiFailure] to fail it as a plug-in would. */
    public fun handle(invocation: CustomApiInvocation): Map<String, Any?>
}

/** One call of a custom API, as its handler sees it. */
public class CustomApiInvocation public constructor(
    /** The API's unique name. */
    public val uniqueName: String,
    /** The parameters the caller passed, typed as [CustomApiType] describes; optional ones left out are absent. */
    public val parameters: Map<String, Any?>,
    /** The record a record-bound API was called on; null otherwise. */
    public val target: CustomApiReference?,
    /** The table a bound API was called on; null for a global one. */
    public val boundTable: String?,
    /** The user the call acts as (the impersonated user, when the caller impersonates). */
    public val userId: UUID,
    /** The authenticated user who made the call (differs from [userId] when impersonating). */
    public val initiatingUserId: UUID,
) {
    override fun toString(): String = "CustomApiInvocation($uniqueName, parameters=${parameters.keys}, target=$target)"
}

/**
 * Thrown by a [CustomApiHandler] to fail the call as a plug-in's `InvalidPluginExecutionException` does: the caller gets
 * 400 with error code `0x80040265` and this message.
 */
public class CustomApiFailure(message: String) : RuntimeException(message)
