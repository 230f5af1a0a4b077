package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiReference
import dev.dataverse.emulator.internal.http.ApiCall

/** One validated call of a message: its typed parameters and the record or table it was called on. */
internal class MessageInvocation(
    val call: ApiCall,
    val definition: MessageDefinition,
    val parameters: Map<String, Any?>,
    val target: CustomApiReference?,
)
