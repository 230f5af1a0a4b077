package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.MatchConditions

/** The writes a [MatchConditions] can be given to, to check it before anything is sent. */
internal enum class ConditionalWrite(val label: String) { UPDATE("An update"), UPSERT("An upsert"), DELETE("A delete") }

/**
 * The conditional headers of a write (Learn: "Perform conditional operations using the Web API"): `If-Match` with an ETag
 * or `*`, `If-None-Match: *`. Pure.
 */
internal object Conditions {
    private const val IF_MATCH = "If-Match"
    private const val IF_NONE_MATCH = "If-None-Match"
    private const val ANY = "*"

    /**
     * The headers [operation] sends with [conditions]; an update always carries `If-Match` (`*` when none is given), so
     * that it never creates a record. Called before anything is prepared or sent.
     *
     * @throws InvalidInputException when [operation] cannot carry them (`If-None-Match` outside an upsert), or for a
     *   `null` from Java.
     */
    fun headers(conditions: MatchConditions?, operation: ConditionalWrite): List<Pair<String, String>> {
        if (conditions == null) throw InvalidInputException("'conditions' cannot be null: pass MatchConditions.NONE for none.")
        val ifMatch = conditions.ifMatch
        val ifNoneMatch = conditions.ifNoneMatch
        if (ifNoneMatch != null && operation != ConditionalWrite.UPSERT) {
            throw InvalidInputException(
                "${operation.label} cannot be create-only (If-None-Match: *): only an upsert can create a record. " +
                    "Use upsert with MatchConditions.ifNoneMatchAny() to create a record only if it does not exist.",
            )
        }
        return when {
            ifMatch != null -> listOf(IF_MATCH to ifMatch)
            ifNoneMatch != null -> listOf(IF_NONE_MATCH to ifNoneMatch)
            operation == ConditionalWrite.UPDATE -> listOf(IF_MATCH to ANY)
            else -> emptyList()
        }
    }

    /** Whether a second attempt of a write with [conditions] cannot trip on its own first (no ETag, not create-only). */
    fun isReplaySafe(conditions: MatchConditions): Boolean =
        (conditions.ifMatch == null || conditions.ifMatch == ANY) && conditions.ifNoneMatch == null
}
