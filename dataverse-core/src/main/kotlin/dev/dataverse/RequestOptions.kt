package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.ODataLiterals
import dev.dataverse.internal.protocol.parseGuid
import java.util.UUID

/**
 * Options the service reads from request headers: whom to act as, which custom logic to skip, duplicate detection, a
 * shared variable for plug-ins, and the solution that receives new schema.
 *
 * Set them as the client's defaults ([DataverseClient.Builder.defaultRequestOptions]) or for some calls only, through a
 * view of the client that shares its connections ([DataverseClient.withOptions]); inside a `$batch` they go on the
 * operations they belong to ([BatchRequest.Builder.options], [MessageRequest.options]). Options of a view or an operation
 * override the defaults one by one; impersonation is overridden as a whole (a view that sets [callerId] drops a default
 * [callerObjectId]).
 *
 * ```kotlin
 * val asAlice = client.withOptions(RequestOptions(callerObjectId = aliceObjectId, bypassBusinessLogic = setOf(BypassLogic.CUSTOM_SYNC)))
 * asAlice.records.create("account", mapOf("name" to "Created for Alice"))
 * ```
 * ```java
 * RequestOptions options = RequestOptions.builder().callerObjectId("e39c5d16-675b-48d1-8e67-667427e9c084").tag("import-42").build();
 * client.withOptions(options).records().create("account", Map.of("name", "Created for Alice"));
 * ```
 * Every value is checked here, when the options are built: a caller id that is not a GUID, a solution name that is not a
 * unique name, or a tag with control characters fails with [InvalidInputException] before anything is sent.
 */
public class RequestOptions(
    /**
     * Act as the user with this Microsoft Entra object id (`CallerObjectId` header), the preferred form of impersonation
     * (Learn: "Impersonate another user using the Web API"). The client's own identity needs the
     * `prvActOnBehalfOfAnotherUser` privilege. Not together with [callerId].
     */
    public val callerObjectId: UUID? = null,
    /** Act as the `systemuser` with this id (`MSCRMCallerID` header), the legacy form of impersonation. Not together with [callerObjectId]. */
    public val callerId: UUID? = null,
    /**
     * Skip custom synchronous and/or asynchronous logic (plug-ins, workflows) for writes, through
     * `MSCRM.BypassBusinessLogicExecution` (Learn: "Bypass custom Dataverse logic"); needs the matching privilege. Empty
     * (the default) means not set.
     */
    bypassBusinessLogic: Set<BypassLogic>? = null,
    /** `true` sends the older `MSCRM.BypassCustomPluginExecution: true` on writes; `null` means not set. */
    public val bypassCustomPluginExecution: Boolean? = null,
    /**
     * `true` turns duplicate detection on for creates and updates (`MSCRM.SuppressDuplicateDetection: false`), so that a
     * write matching a duplicate-detection rule fails (Learn: "Detect duplicate data using the Web API"). The service
     * leaves it off by default; `null` means not set. The failure is a [DataverseException] with
     * [DataverseException.errorCode] `0x80040333`: check the code, not the status, which Learn gives as 500 on that page
     * and 412 elsewhere.
     */
    public val duplicateDetection: Boolean? = null,
    /**
     * A value passed to plug-ins as the `tag` shared variable, through the `tag` query option (Learn: "Compose HTTP
     * requests and handle errors", shared variables). 1..1000 characters, no control characters; escaped by the client.
     */
    public val tag: String? = null,
    /**
     * The unique name of the unmanaged solution that receives solution components (tables, columns, relationships, custom
     * APIs) created by the request (`MSCRM.SolutionUniqueName` header); without it they go to the default solution.
     */
    public val solutionUniqueName: String? = null,
) {
    /** See the constructor parameter; `null` means not set. */
    public val bypassBusinessLogic: Set<BypassLogic>? = bypassBusinessLogic?.toSet()

    init {
        if (callerObjectId != null && callerId != null) {
            throw InvalidInputException("Set only one of 'callerObjectId' and 'callerId': the service impersonates one user.")
        }
        Identifiers.requireUser(callerObjectId, "callerObjectId")
        Identifiers.requireUser(callerId, "callerId")
        if (this.bypassBusinessLogic != null && this.bypassBusinessLogic.isEmpty()) {
            throw InvalidInputException("'bypassBusinessLogic' cannot be empty: leave it null to not bypass anything.")
        }
        if (tag != null) {
            if (tag.isEmpty() || tag.length > MAX_TAG_LENGTH) {
                throw InvalidInputException("'tag' must have 1 to $MAX_TAG_LENGTH characters, but had ${tag.length}.")
            }
            if (tag.any { it < ' ' || it == '\u007f' }) throw InvalidInputException("'tag' cannot contain control characters.")
            ODataLiterals.requireWellFormed(tag)
        }
        if (solutionUniqueName != null && !Identifiers.isSolutionName(solutionUniqueName)) {
            throw InvalidInputException(
                "Invalid 'solutionUniqueName' ${Identifiers.quote(solutionUniqueName)}: expected a solution's unique name " +
                    "(letters, digits and underscores, starting with a letter or underscore, at most 65 characters).",
            )
        }
    }

    /** Whether any option is set. */
    public val isEmpty: Boolean
        get() = callerObjectId == null && callerId == null && bypassBusinessLogic == null && bypassCustomPluginExecution == null &&
            duplicateDetection == null && tag == null && solutionUniqueName == null

    /** These options with every option set in [overrides] replacing this one's (impersonation as a whole). */
    public fun overriddenBy(overrides: RequestOptions?): RequestOptions {
        if (overrides == null || overrides.isEmpty) return this
        val impersonates = overrides.callerObjectId != null || overrides.callerId != null
        return RequestOptions(
            callerObjectId = if (impersonates) overrides.callerObjectId else callerObjectId,
            callerId = if (impersonates) overrides.callerId else callerId,
            bypassBusinessLogic = overrides.bypassBusinessLogic ?: bypassBusinessLogic,
            bypassCustomPluginExecution = overrides.bypassCustomPluginExecution ?: bypassCustomPluginExecution,
            duplicateDetection = overrides.duplicateDetection ?: duplicateDetection,
            tag = overrides.tag ?: tag,
            solutionUniqueName = overrides.solutionUniqueName ?: solutionUniqueName,
        )
    }

    override fun equals(other: Any?): Boolean = other is RequestOptions && other.callerObjectId == callerObjectId &&
        other.callerId == callerId && other.bypassBusinessLogic == bypassBusinessLogic &&
        other.bypassCustomPluginExecution == bypassCustomPluginExecution && other.duplicateDetection == duplicateDetection &&
        other.tag == tag && other.solutionUniqueName == solutionUniqueName

    override fun hashCode(): Int = listOf(callerObjectId, callerId, bypassBusinessLogic, tag, solutionUniqueName).hashCode()

    override fun toString(): String = "RequestOptions(" + listOfNotNull(
        callerObjectId?.let { "callerObjectId=$it" }, callerId?.let { "callerId=$it" },
        bypassBusinessLogic?.let { "bypassBusinessLogic=$it" }, bypassCustomPluginExecution?.let { "bypassCustomPluginExecution=$it" },
        duplicateDetection?.let { "duplicateDetection=$it" }, tag?.let { "tag=$it" }, solutionUniqueName?.let { "solutionUniqueName=$it" },
    ).joinToString() + ")"

    /** Fluent builder for Java callers; [build] validates. */
    public class Builder public constructor() {
        private var callerObjectId: UUID? = null
        private var callerId: UUID? = null
        private var bypassBusinessLogic: Set<BypassLogic>? = null
        private var bypassCustomPluginExecution: Boolean? = null
        private var duplicateDetection: Boolean? = null
        private var tag: String? = null
        private var solutionUniqueName: String? = null

        /** @see RequestOptions.callerObjectId */
        public fun callerObjectId(id: UUID?): Builder = apply { callerObjectId = id }

        /** [callerObjectId] from text. @throws InvalidInputException when [id] is not a GUID. */
        public fun callerObjectId(id: String): Builder = apply { callerObjectId = parseGuid(id, "callerObjectId") }

        /** @see RequestOptions.callerId */
        public fun callerId(id: UUID?): Builder = apply { callerId = id }

        /** [callerId] from text. @throws InvalidInputException when [id] is not a GUID. */
        public fun callerId(id: String): Builder = apply { callerId = parseGuid(id, "callerId") }

        /** @see RequestOptions.bypassBusinessLogic */
        public fun bypassBusinessLogic(vararg logic: BypassLogic): Builder = apply { bypassBusinessLogic = logic.toSet() }

        /** @see RequestOptions.bypassCustomPluginExecution */
        public fun bypassCustomPluginExecution(bypass: Boolean): Builder = apply { bypassCustomPluginExecution = bypass }

        /** @see RequestOptions.duplicateDetection */
        public fun duplicateDetection(enabled: Boolean): Builder = apply { duplicateDetection = enabled }

        /** @see RequestOptions.tag */
        public fun tag(tag: String?): Builder = apply { this.tag = tag }

        /** @see RequestOptions.solutionUniqueName */
        public fun solutionUniqueName(name: String?): Builder = apply { solutionUniqueName = name }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): RequestOptions = RequestOptions(
            callerObjectId, callerId, bypassBusinessLogic, bypassCustomPluginExecution, duplicateDetection, tag, solutionUniqueName,
        )
    }

    public companion object {
        /** No option set. */
        @JvmField
        public val NONE: RequestOptions = RequestOptions()

        /** The longest [tag] accepted. */
        public const val MAX_TAG_LENGTH: Int = 1000

        /** A new builder. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

