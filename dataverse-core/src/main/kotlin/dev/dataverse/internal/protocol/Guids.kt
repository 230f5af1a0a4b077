package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import java.util.UUID

private val GUID = Regex("\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})}?")

/**
 * Parses the canonical 8-4-4-4-12 form, optionally in braces as Dataverse tools print it. Stricter than
 * [UUID.fromString], which accepts `1-1-1-1-1`.
 */
internal fun parseGuidOrNull(text: String): UUID? {
    val match = GUID.matchEntire(text) ?: return null
    if (text.startsWith('{') != text.endsWith('}')) return null
    return UUID.fromString(match.groupValues[1])
}

internal fun parseGuid(text: String, what: String): UUID {
    @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
    if (text == null) throw InvalidInputException("'$what' cannot be null.")
    return parseGuidOrNull(text)
        ?: throw InvalidInputException("Invalid $what ${Identifiers.quote(text)}: expected a GUID such as 00000000-0000-0000-0000-000000000001.")
}
