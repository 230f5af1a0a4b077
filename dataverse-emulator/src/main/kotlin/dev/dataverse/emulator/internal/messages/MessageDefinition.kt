package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiParameter
import kotlinx.serialization.json.JsonObject

/**
 * A message the emulator serves: a standard one or a registered custom API. [respond] computes the response body's
 * properties (without `@odata.context`) from the validated call; `null` answers `204 No Content`.
 */
internal class MessageDefinition(
    val name: String,
    val isFunction: Boolean,
    val bindingType: CustomApiBindingType,
    /** The table a bound message is bound to. */
    val boundTable: String?,
    val parameters: List<CustomApiParameter>,
    /** Whether undeclared parameters are refused; off for canned custom APIs registered without parameter lists. */
    val strictParameters: Boolean = true,
    /** What the `customapis` tables show of a custom API beyond the above; null for standard messages. */
    val shape: CustomApiShape? = null,
    val respond: (MessageInvocation) -> JsonObject?,
)
