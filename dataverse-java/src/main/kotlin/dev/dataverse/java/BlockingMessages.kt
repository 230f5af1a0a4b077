package dev.dataverse.java

import dev.dataverse.Response
import dev.dataverse.MessageRequest
import dev.dataverse.MessageResult
import dev.dataverse.Messages
import dev.dataverse.WhoAmI
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.blocking

/**
 * Actions and functions for blocking Java code — standard messages and your own custom APIs; see the Kotlin [Messages]
 * for the semantics.
 *
 * ```java
 * MessageResult result = client.messages().execute(
 *     MessageRequest.action("sample_ScoreLead").boundTo("lead", leadId).parameter("Weight", 3).build());
 * Integer score = result.toRecord().getInt("Score");
 * Map<String, Long> counts = client.messages().retrieveTotalRecordCount(List.of("account", "contact"));
 * ```
 * Invalid input ([dev.dataverse.InvalidInputException]: a message or parameter name that is not an identifier, a value
 * of an unsupported type) is thrown by `MessageRequest.Builder.build()`, before anything is sent. A message the service
 * does not know throws [dev.dataverse.NotFoundException].
 */
public class BlockingMessages private constructor(private val client: SharedClient) {
    private val messages: Messages get() = client.core.messages

    /** Calls the message [request] describes; see [Messages.execute]. */
    public fun execute(request: MessageRequest): MessageResult = blocking { messages.execute(request) }

    /**
     * [execute] with the HTTP answer it came from (status, headers, request and correlation ids); see
     * [Messages.executeWithResponse].
     */
    public fun executeWithResponse(request: MessageRequest): Response<MessageResult> = blocking { messages.executeWithResponse(request) }

    /** Calls `WhoAmI`; see [Messages.whoAmI]. */
    public fun whoAmI(): WhoAmI = blocking { messages.whoAmI() }

    /** Calls `RetrieveVersion`; see [Messages.retrieveVersion]. */
    public fun retrieveVersion(): String = blocking { messages.retrieveVersion() }

    /** Calls `RetrieveTotalRecordCount`; see [Messages.retrieveTotalRecordCount]. */
    public fun retrieveTotalRecordCount(tables: List<String>): Map<String, Long> = blocking { messages.retrieveTotalRecordCount(tables) }

    override fun toString(): String = "BlockingMessages"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingMessages(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingMessages = BlockingMessages(client)
    }
}
