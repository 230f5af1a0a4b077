package dev.dataverse

import java.util.UUID

/**
 * One entry of a change listing ([Records.changes]): a record created or updated since the delta token
 * ([NewOrUpdated], with the record's current values), or a record deleted since ([Deleted], only its id: the service
 * sends a `$deletedEntity` entry).
 *
 * Kotlin callers branch with `when (change) { is Change.NewOrUpdated -> ...; is Change.Deleted -> ... }`; Java callers
 * with [isDeleted] and [record]. Learn ("Use change tracking to synchronize data with external systems"): a record
 * created and deleted between two runs is reported as deleted even though the caller never saw it, so apply a
 * deletion of an unknown id as a no-op.
 */
public sealed class Change {
    /** The logical name of the table the record belongs to. */
    public abstract val table: String

    /** The id of the record created, updated or deleted. */
    public abstract val id: UUID

    /** Whether the record was deleted; `false` for a record created or updated. */
    public abstract val isDeleted: Boolean

    /** The record's current values (the columns selected) for a record created or updated; `null` for a deletion. */
    public abstract val record: DataverseRecord?

    /** A record created or updated since the delta token; during a full sync, every record. */
    public class NewOrUpdated private constructor(
        /** The record's current values, with the columns selected and its `@odata.etag`. */
        override val record: DataverseRecord,
        override val table: String,
        override val id: UUID,
    ) : Change() {
        override val isDeleted: Boolean get() = false

        override fun equals(other: Any?): Boolean = other is NewOrUpdated && other.id == id && other.record == record

        override fun hashCode(): Int = id.hashCode()

        override fun toString(): String = "Change.NewOrUpdated($table, $id)"

        internal companion object {
            @JvmSynthetic
            operator fun invoke(record: DataverseRecord, table: String, id: UUID): NewOrUpdated = NewOrUpdated(record, table, id)
        }
    }

    /** A record deleted since the delta token. */
    public class Deleted private constructor(
        override val table: String,
        override val id: UUID,
    ) : Change() {
        override val isDeleted: Boolean get() = true
        override val record: DataverseRecord? get() = null

        override fun equals(other: Any?): Boolean = other is Deleted && other.id == id && other.table == table

        override fun hashCode(): Int = id.hashCode()

        override fun toString(): String = "Change.Deleted($table, $id)"

        internal companion object {
            @JvmSynthetic
            operator fun invoke(table: String, id: UUID): Deleted = Deleted(table, id)
        }
    }
}

/**
 * One page of a change listing. Every page but the last has a [continuationToken] (resume the same run from there); the
 * last has a [deltaToken] instead (start the next run from there with [ChangeTrackingOptions.deltaToken]). Persist the
 * token of the last page you have fully applied: whichever of the two it is, resuming from it misses nothing and repeats
 * nothing.
 */
public class ChangePage private constructor(
    /** The changes of this page, in the service's order: new or updated records first, deletions after them. */
    public val changes: List<Change>,
    /** Opaque token of the next page of the same run; `null` on the last page. */
    public override val continuationToken: String?,
    /** The token to start the next run from; set on the last page only. A plain string, safe to store. */
    public val deltaToken: String?,
) : ContinuablePage<Change> {
    /** The same list as [changes], for code written against any [ContinuablePage]. */
    override val items: List<Change> get() = changes

    /** Whether a next page exists. */
    @get:JvmName("hasNext")
    public val hasNext: Boolean get() = continuationToken != null

    override fun toString(): String = "ChangePage(changes=${changes.size}, hasNext=$hasNext, deltaToken=${deltaToken != null})"

    internal companion object {
        @JvmSynthetic
        operator fun invoke(changes: List<Change>, continuationToken: String?, deltaToken: String?): ChangePage =
            ChangePage(changes, continuationToken, deltaToken)
    }
}
