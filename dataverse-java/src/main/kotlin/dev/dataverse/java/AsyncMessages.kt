package dev.dataverse.java

import dev.dataverse.Response
import dev.dataverse.MessageRequest
import dev.dataverse.MessageResult
import dev.dataverse.Messages
import dev.dataverse.WhoAmI
import dev.dataverse.java.internal.SharedClient
import java.util.concurrent.CompletableFuture

/**
 * Actions and functions for asynchronous Java code; see the Kotlin [Messages] for the semantics and [BlockingMessages]
 * for an example. Every failure, invalid input included, completes the returned future exceptionally.
 */
public class AsyncMessages private constructor(private val client: SharedClient) {
    private val messages: Messages get() = client.core.messages

    /** Calls the message [request] describes; see [Messages.execute]. */
    public fun execute(request: MessageRequest): CompletableFuture<MessageResult> = client.future { messages.execute(request) }

    /** [execute] with the HTTP answer it came from; see [Messages.executeWithResponse]. */
    public fun executeWithResponse(request: MessageRequest): CompletableFuture<Response<MessageResult>> =
        client.future { messages.executeWithResponse(request) }

    /** Calls `WhoAmI`; see [Messages.whoAmI]. */
    public fun whoAmI(): CompletableFuture<WhoAmI> = client.future { messages.whoAmI() }

    /** Calls `RetrieveVersion`; see [Messages.retrieveVersion]. */
    public fun retrieveVersion(): CompletableFuture<String> = client.future { messages.retrieveVersion() }

    /** Calls `RetrieveTotalRecordCount`; see [Messages.retrieveTotalRecordCount]. */
    public fun retrieveTotalRecordCount(tables: List<String>): CompletableFuture<Map<String, Long>> =
        client.future { messages.retrieveTotalRecordCount(tables) }

    override fun toString(): String = "AsyncMessages"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncMessages(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncMessages = AsyncMessages(client)
    }
}
