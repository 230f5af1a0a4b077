// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-Messages")

package dev.dataverse

import kotlinx.serialization.serializer

/**
 * Messages: the Web API's actions (`POST`, may change data) and functions (`GET`, no side effects), standard ones and your
 * own custom APIs, unbound or bound to a record or a table.
 *
 * [execute] calls any message from a [MessageRequest]; the typed functions below are built on it for the standard
 * messages reached for first.
 * ```kotlin
 * val result = client.messages.execute(
 *     MessageRequest.action("sample_ScoreLead") {
 *         boundTo("lead", leadId)
 *         parameter("Weight", 3)
 *         parameter("Reviewer", EntityReference("systemuser", reviewerId))
 *     },
 * )
 * val score: Int? = result.toRecord().getInt("Score")
 * val counts: Map<String, Long> = client.messages.retrieveTotalRecordCount(listOf("account", "contact"))
 * ```
 * Requests are checked when built (names, parameter types), so bad input fails with [InvalidInputException] before
 * anything is sent. A message the service does not know fails with [NotFoundException] (`0x8006088a`, "Resource not found
 * for the segment ..."). Inside a `$batch`, add messages with [BatchRequest.Builder.execute] (functions and actions) or
 * [ChangeSetBuilder.execute] (actions).
 *
 * Learn: "Use Web API actions", "Use Web API functions", "Create and use custom APIs".
 */
public interface Messages {
    /**
     * Calls the message [request] describes and returns its response (empty for actions that return nothing).
     *
     * @throws NotFoundException when the service knows no such message (or the bound record does not exist).
     * @throws DataverseException for the message's own errors, as the service reports them.
     */
    public suspend fun execute(request: MessageRequest): MessageResult

    /**
     * [execute] with the HTTP answer it came from: the status (200 with a response, 204 for an action that returns
     * nothing), the headers and the request and correlation ids, e.g. to log the service's request id of a custom API
     * call or read a header a plug-in adds.
     *
     * @throws NotFoundException when the service knows no such message (or the bound record does not exist).
     * @throws DataverseException for the message's own errors, as the service reports them.
     */
    public suspend fun executeWithResponse(request: MessageRequest): Response<MessageResult>

    /** Calls `WhoAmI`: the user, business unit and organization the client acts as (impersonation included). */
    public suspend fun whoAmI(): WhoAmI

    /** Calls `RetrieveVersion`: the version of the environment, e.g. `9.2.24104.180`. */
    public suspend fun retrieveVersion(): String

    /**
     * Calls `RetrieveTotalRecordCount` for [tables] (logical names): the number of records of each. The service answers
     * from a snapshot taken at most 24 hours earlier, so recent writes may not be counted yet; for an exact, filtered
     * count use [Query.count].
     */
    public suspend fun retrieveTotalRecordCount(tables: List<String>): Map<String, Long>
}

/**
 * Calls [request] and decodes its response into [T], e.g. a `@Serializable` class of a complex-type response. A message
 * that returns nothing cannot be decoded: use [Messages.execute].
 */
@JvmSynthetic
public suspend inline fun <reified T> Messages.execute(request: MessageRequest): T = execute(request).decode(serializer<T>())
