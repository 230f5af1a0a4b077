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
 * From Java, build one with [builder]:
 * ```java
 * emulator.registerCustomApi(CustomApi.builder("sample_Greet")
 *         .requestParameter("Name", CustomApiType.STRING)
 *         .responseProperty("Greeting", CustomApiType.STRING)
 *         .handler(call -> Map.of("Greeting", "Hello, " + call.getParameters().get("Name")))
 *         .build());
 * ```
 * The emulator checks calls as the service does before the handler runs: the HTTP method (`GET` for functions, `POST`
 * for actions), the binding, unknown and missing parameters, and each value against its declared type; the handler gets
 * typed values ([CustomApiInvocation.parameters]) and returns the response properties by name. A handler that throws
 * [CustomApiFailure] answers as a failing plug-in does (400, `0x80040265`, with its message); one that throws anything
 * else, an [Error] included, as plug-in code failing unexpectedly (500, `0x80040224` IsvUnExpected, "An unexpected error
 * occurred from ISV code."; the status is a guess). A handler still running at the emulator's request timeout (2 minutes
 * by default, the service's limit for plug-ins) is answered with the timeout error (see [EmulatorOptions.requestTimeout])
 * and its thread is interrupted, as it is when the caller goes away or the emulator stops: a handler that waits (a sleep,
 * a latch, a lock) should let the interrupt end it, and then gives its thread back to the emulator.
 */
public class CustomApi(
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

    /**
     * Builds a [CustomApi] step by step, for Java code: an unbound action without parameters unless told otherwise. Each
     * method returns the builder; [build] checks the whole definition, as the constructor does.
     */
    public class Builder(
        /** See [CustomApi.uniqueName]. */
        private val uniqueName: String,
    ) {
        private var isFunction = false
        private var bindingType = CustomApiBindingType.GLOBAL
        private var boundEntityLogicalName: String? = null
        private val requestParameters = ArrayList<CustomApiParameter>()
        private val responseProperties = ArrayList<CustomApiProperty>()
        private var handler: CustomApiHandler? = null

        /** Makes it a function: called with `GET`, no side effects, at least one response property. */
        public fun function(): Builder = apply { isFunction = true }

        /** Makes it an action, called with `POST` (the default). */
        public fun action(): Builder = apply { isFunction = false }

        /** Binds it to one record of [table] (`/{set}({id})/Microsoft.Dynamics.CRM.{uniqueName}`). */
        public fun boundToRecord(table: String): Builder = bound(CustomApiBindingType.ENTITY, table)

        /** Binds it to the entity set of [table] (`/{set}/Microsoft.Dynamics.CRM.{uniqueName}`). */
        public fun boundToCollection(table: String): Builder = bound(CustomApiBindingType.ENTITY_COLLECTION, table)

        /** Makes it unbound (`/{uniqueName}`), the default. */
        public fun global(): Builder = bound(CustomApiBindingType.GLOBAL, null)

        private fun bound(type: CustomApiBindingType, table: String?): Builder = apply {
            bindingType = type
            boundEntityLogicalName = table
        }

        /** Adds a required request parameter, after those added so far. */
        public fun requestParameter(uniqueName: String, type: CustomApiType): Builder =
            requestParameter(CustomApiParameter(uniqueName, type))

        /** Adds a request parameter callers may leave out, after those added so far. */
        public fun optionalRequestParameter(uniqueName: String, type: CustomApiType): Builder =
            requestParameter(CustomApiParameter(uniqueName, type, isOptional = true))

        /** Adds [parameter] after the request parameters added so far. */
        public fun requestParameter(parameter: CustomApiParameter): Builder = apply { requestParameters += parameter }

        /** Adds a response property, after those added so far. */
        public fun responseProperty(uniqueName: String, type: CustomApiType): Builder =
            apply { responseProperties += CustomApiProperty(uniqueName, type) }

        /** What the API does when called (required); see [CustomApi.handler]. */
        public fun handler(handler: CustomApiHandler): Builder = apply { this.handler = handler }

        /**
         * The custom API.
         *
         * @throws IllegalArgumentException when no handler was set, or the definition is invalid (a name, a function
         * without response properties, a duplicate parameter).
         */
        public fun build(): CustomApi = CustomApi(
            uniqueName, isFunction, bindingType, boundEntityLogicalName, requestParameters, responseProperties,
            requireNotNull(handler) { "Custom API '$uniqueName' needs a handler: call handler(...) before build()." },
        )
    }

    /** Factory for the Java builder. */
    public companion object {
        /** A builder of the custom API named [uniqueName] (with its publisher prefix, e.g. `sample_Greet`). */
        @JvmStatic
        public fun builder(uniqueName: String): Builder = Builder(uniqueName)
    }
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
