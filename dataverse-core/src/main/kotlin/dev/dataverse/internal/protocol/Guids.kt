package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import java.util.UUID

/**
 * Parses the canonical 8-4-4-4-12 form, optionally in braces as Dataverse tools print it. Stricter than
 * [UUID.fromString], which accepts `1-1-1-1-1`. Read by hand rather than by a regex: every created record's
 * `OData-EntityId` and every primary id read goes through here.
 */
internal fun parseGuidOrNull(text: String): UUID? {
    val start = when {
        text.length == CANONICAL_LENGTH -> 0
        text.length == CANONICAL_LENGTH + 2 && text[0] == '{' && text[CANONICAL_LENGTH + 1] == '}' -> 1
        else -> return null
    }
    var most = 0L
    var least = 0L
    var digits = 0
    for (i in start until start + CANONICAL_LENGTH) {
        val c = text[i]
        when (i - start) {
            8, 13, 18, 23 -> if (c != '-') return null
            else -> {
                val nibble = hexValue(c)
                if (nibble < 0) return null
                if (digits < 16) most = (most shl 4) or nibble.toLong() else least = (least shl 4) or nibble.toLong()
                digits++
            }
        }
    }
    return UUID(most, least)
}

private const val CANONICAL_LENGTH = 36

private fun hexValue(c: Char): Int = when (c) {
    in '0'..'9' -> c - '0'
    in 'a'..'f' -> c - 'a' + 10
    in 'A'..'F' -> c - 'A' + 10
    else -> -1
}

internal fun parseGuid(text: String, what: String): UUID {
    @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
    if (text == null) throw InvalidInputException("'$what' cannot be null.")
    return parseGuidOrNull(text)
        ?: throw InvalidInputException("Invalid $what ${Identifiers.quote(text)}: expected a GUID such as 00000000-0000-0000-0000-000000000001.")
}
