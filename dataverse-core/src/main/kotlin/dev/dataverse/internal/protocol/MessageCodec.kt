package dev.dataverse.internal.protocol

import dev.dataverse.MessageResult
import io.ktor.http.HttpMethod

/**
 * The requests of actions and functions (Learn: "Use Web API actions", "Use Web API functions"), as
 * [MessageParameters] forms them, and the reading of their answers. Pure.
 */
internal object MessageCodec {
    /** `POST <action>` with its parameters as JSON, or `GET <function>(...)` with them as aliases. */
    fun request(call: MessageCall): ApiRequest = when (call.method) {
        "POST" -> ApiRequest(HttpMethod.Post, call.target, body = call.body ?: RequestBody.json("{}"))
        else -> ApiRequest(HttpMethod.Get, call.target)
    }

    /** A message's answer: nothing for 204 or an empty body, else the JSON object. */
    fun result(status: Int, body: Body): MessageResult =
        MessageResult(status, if (status == 204 || body.isBlank()) null else Responses.jsonObject(body, "message"))

    fun result(response: ApiResponse): MessageResult = result(response.status, response.body)
}
