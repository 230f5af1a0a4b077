package dev.dataverse.emulator.internal.records

/** What the conditional headers of a write allow (`If-Match`, `If-None-Match`). */
internal sealed interface WriteCondition {
    /** No conditional header: PATCH upserts, DELETE deletes. */
    data object None : WriteCondition

    /** `If-Match: *` or `If-Match: W/"<version>"`: the record must exist; [versions] null means any version. */
    data class IfMatch(val versions: Set<Long>?) : WriteCondition

    /** `If-None-Match: *`: the record must not exist (create only). */
    data object IfNoneMatch : WriteCondition

    companion object {
        private val ETAG = Regex("^(W/)?\"(\\d+)\"$")

        /** The condition the header values express; `If-None-Match` values other than `*` (e.g. `null`) are ignored. */
        fun of(ifMatch: String?, ifNoneMatch: String?): WriteCondition = when {
            ifMatch != null -> IfMatch(versionsIn(ifMatch))
            ifNoneMatch?.trim() == "*" -> IfNoneMatch
            else -> None
        }

        /** The record versions an `If-Match`/`If-None-Match` value lists (`W/"12"`, `"12"`), or null for `*`. */
        fun versionsIn(header: String): Set<Long>? {
            val tags = header.split(',').map { it.trim() }
            if (tags.contains("*")) return null
            return tags.mapNotNull { ETAG.find(it)?.groupValues?.get(2)?.toLongOrNull() }.toSet()
        }
    }
}
