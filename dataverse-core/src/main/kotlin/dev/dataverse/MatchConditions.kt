package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * The condition a write puts on the record's current state: optimistic concurrency and create-only / update-only upserts
 * (HTTP `If-Match` / `If-None-Match`; Learn: "Perform conditional operations using the Web API").
 *
 * Read a record, change it, and write it back only if nobody changed it in between: pass its version
 * ([DataverseRecord.etag], or [Response.etag] of the last write) to [ifMatch]. When the record changed, the service
 * refuses the write with `412 Precondition Failed` and the client throws [PreconditionFailedException]: read it again
 * and retry your change, or tell your user.
 *
 * ```kotlin
 * val account = client.records.get("account", id)
 * client.records.update("account", RecordKey.id(id), mapOf("creditlimit" to 5000), MatchConditions.ifMatch(account.etag))
 * client.records.upsert("account", RecordKey.alternate("accountnumber", "A-1"), mapOf("name" to "Contoso"), MatchConditions.ifNoneMatchAny())
 * ```
 * ```java
 * DataverseRecord account = records.get("account", id);
 * records.update("account", RecordKey.id(id), Map.of("creditlimit", 5000), MatchConditions.ifMatch(account.getEtag()));
 * ```
 *
 * | condition | update | upsert | delete |
 * |---|---|---|---|
 * | [NONE] | the record must exist (`If-Match: *`) | creates or updates | deletes |
 * | [ifMatch] (an ETag) | only that version (412 otherwise) | only that version (412 otherwise) | only that version (412 otherwise) |
 * | [ifMatchAny] | the record must exist | update only: never creates (404 when absent) | the record must exist |
 * | [ifNoneMatchAny] | refused: an update never creates | create only: never updates (412 when it exists) | refused |
 *
 * A condition an operation cannot carry is refused with [InvalidInputException] before anything is sent, never dropped.
 * Bulk actions (`UpdateMultiple`, `UpsertMultiple`) carry no condition per record, which is why [RecordChange] has none:
 * use single writes or a `$batch` ([BatchRequest.Builder.update]) for conditional changes of many records.
 *
 * Instances are immutable and can be shared.
 */
public class MatchConditions private constructor(
    /** The `If-Match` value: an ETag, `*` (the record must exist), or `null` for none. */
    public val ifMatch: String?,
    /** The `If-None-Match` value: `*` (the record must not exist), or `null` for none. */
    public val ifNoneMatch: String?,
) {
    override fun equals(other: Any?): Boolean = other is MatchConditions && other.ifMatch == ifMatch && other.ifNoneMatch == ifNoneMatch

    override fun hashCode(): Int = 31 * ifMatch.hashCode() + ifNoneMatch.hashCode()

    override fun toString(): String = when {
        ifMatch != null -> "MatchConditions(If-Match: $ifMatch)"
        ifNoneMatch != null -> "MatchConditions(If-None-Match: $ifNoneMatch)"
        else -> "MatchConditions.NONE"
    }

    public companion object {
        private const val ANY = "*"

        /** No condition: an update still requires the record to exist, an upsert creates or updates, a delete deletes. */
        @JvmField
        public val NONE: MatchConditions = MatchConditions(null, null)

        private val MATCH_ANY = MatchConditions(ANY, null)
        private val NONE_MATCH_ANY = MatchConditions(null, ANY)

        /**
         * Write only if the record's current version is [etag] (`If-Match: <etag>`): optimistic concurrency. Pass
         * [DataverseRecord.etag] or [Response.etag] as given (e.g. `W/"81052965"`). The service answers 412 when the
         * record has changed since ([PreconditionFailedException]).
         *
         * The parameter is nullable so that `ifMatch(record.etag)` reads naturally; a record read without its version
         * (no `@odata.etag`) cannot be written conditionally, which fails here rather than as an unconditional write.
         *
         * @throws InvalidInputException for a null or blank ETag, or one with control characters (it becomes a header line).
         */
        @JvmStatic
        public fun ifMatch(etag: String?): MatchConditions {
            if (etag == null) throw InvalidInputException("'etag' cannot be null: pass DataverseRecord.etag or Response.etag, e.g. W/\"81052965\".")
            if (etag.trim() == ANY) return MATCH_ANY
            return MatchConditions(Identifiers.etagOrAny(etag), null)
        }

        /**
         * Write only if the record exists, whatever its version (`If-Match: *`): makes an upsert update-only, so it never
         * creates a record (the service answers 404, [NotFoundException], when there is none). An update always behaves so.
         */
        @JvmStatic
        public fun ifMatchAny(): MatchConditions = MATCH_ANY

        /**
         * Write only if the record does not exist (`If-None-Match: *`): makes an upsert create-only, so it never updates
         * an existing record (the service answers 412, [DuplicateRecordException], a [PreconditionFailedException]).
         * Only upserts can carry it.
         */
        @JvmStatic
        public fun ifNoneMatchAny(): MatchConditions = NONE_MATCH_ANY
    }
}
