package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.ODataLiterals
import dev.dataverse.internal.protocol.parseGuid
import java.util.UUID

/**
 * Identifies one record: by its primary id, by its primary id within a partition of an elastic table, or by the values
 * of an alternate key defined on the table.
 *
 * ```kotlin
 * RecordKey.id(accountId)                                            // accounts(00000000-...)
 * RecordKey.alternate("accountnumber", "A-100")                      // accounts(accountnumber='A-100')
 * RecordKey.alternate(mapOf("firstname" to "Joe", "emailaddress1" to "joe@example.com"))   // composite key
 * RecordKey.partitioned(readingId, "device-001")   // contoso_sensordatas(contoso_sensordataid=...,partitionid='device-001')
 * ```
 * Key values are formatted and escaped by the library (strings are quoted with embedded quotes doubled, then
 * percent-encoded), so any value round-trips and none can change the structure of the URL. Supported value types are those
 * of filter literals: strings, integral and decimal numbers, booleans, [UUID]s, dates and date-times.
 *
 * Invalid input (a column that is not an identifier, a `null` or unsupported value, an empty key) raises
 * [InvalidInputException] at construction, before anything is sent.
 */
public class RecordKey private constructor(
    /** The primary id, or `null` for an alternate key. */
    public val id: UUID?,
    private val alternateValues: Map<String, Any>,
    /**
     * The partition of an elastic table the record lives in ([partitioned]), or `null`. Elastic tables identify a record
     * by its primary id and its `partitionid` together (Learn: "Use elastic tables using code", Specifying PartitionId).
     */
    public val partitionId: String? = null,
) {
    /** The alternate key's column values in the order given; empty for a primary-id key. */
    public val alternateKey: Map<String, Any> get() = alternateValues

    /**
     * The key as it appears between the parentheses of a resource path, before percent-encoding. A partitioned key uses
     * the elastic table's built-in alternate key `KeyForNoSqlEntityWithPKPartitionId`, whose first column is the table's
     * primary id ([primaryIdAttribute]).
     */
    @JvmSynthetic
    internal fun segment(primaryIdAttribute: String): String = when {
        partitionId != null -> "$primaryIdAttribute=$id,$PARTITION_ID_COLUMN=${ODataLiterals.quote(partitionId)}"
        id != null -> id.toString()
        else -> alternateValues.entries.joinToString(",") { (column, value) -> "$column=${ODataLiterals.format(value)}" }
    }

    override fun equals(other: Any?): Boolean =
        other is RecordKey && other.id == id && other.alternateValues == alternateValues && other.partitionId == partitionId

    override fun hashCode(): Int = (id?.hashCode() ?: alternateValues.hashCode()) * 31 + (partitionId?.hashCode() ?: 0)

    override fun toString(): String = when {
        partitionId != null -> "RecordKey($id, partitionid=${ODataLiterals.quote(partitionId)})"
        else -> "RecordKey(${segment("id")})"
    }

    public companion object {
        /** The record whose primary id is [id]. */
        @JvmStatic
        public fun id(id: UUID): RecordKey = RecordKey(id, emptyMap())

        /**
         * The record whose primary id is the GUID [id] (`"7b1c..."` or `"{7b1c...}"`).
         *
         * @throws InvalidInputException if [id] is not a GUID.
         */
        @JvmStatic
        public fun id(id: String): RecordKey = RecordKey(parseGuid(id, "id"), emptyMap())

        /** The record whose single-column alternate key [column] has [value]. */
        @JvmStatic
        public fun alternate(column: String, value: Any): RecordKey = alternate(mapOf(column to value))

        /**
         * The record identified by an alternate key of one or more columns. The map's iteration order is kept in the URL.
         *
         * @throws InvalidInputException if the map is empty, a column is not a valid name, or a value is `null` or of an
         *   unsupported type.
         */
        @JvmStatic
        public fun alternate(values: Map<String, Any>): RecordKey {
            if (values.isEmpty()) throw InvalidInputException("An alternate key needs at least one column.")
            val copy = LinkedHashMap<String, Any>(values.size)
            for ((column, value) in values) {
                Identifiers.requireColumn(column, "alternate key column")
                @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
                if (value == null) throw InvalidInputException("Alternate key column '$column' cannot be null.")
                ODataLiterals.requireSupported(value, "alternate key column '$column'")
                copy[column] = value
            }
            return RecordKey(null, copy)
        }

        /**
         * The record of an elastic table with primary id [id] in partition [partitionId]: sent as the table's
         * `KeyForNoSqlEntityWithPKPartitionId` alternate key, `<primary id column>=<id>,partitionid='<partitionId>'`
         * (Learn: "Use elastic tables using code"). A record created without a `partitionid` lives in the partition named
         * by its own primary id, so [id] alone finds it; a record created with one is found only with it.
         *
         * @throws InvalidInputException if [partitionId] is empty, longer than 1024 UTF-8 bytes, or contains a character
         *   alternate keys do not allow (`/ < > * % & : \ ?`, Learn: "Elastic tables", Choosing a PartitionId value) or a
         *   control character.
         */
        @JvmStatic
        public fun partitioned(id: UUID, partitionId: String): RecordKey {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (id == null) throw InvalidInputException("'id' cannot be null.")
            return RecordKey(id, emptyMap(), requirePartitionId(partitionId))
        }

        /**
         * [partitioned] with the GUID [id] given as text (`"7b1c..."` or `"{7b1c...}"`).
         *
         * @throws InvalidInputException if [id] is not a GUID or [partitionId] is invalid.
         */
        @JvmStatic
        public fun partitioned(id: String, partitionId: String): RecordKey = partitioned(parseGuid(id, "id"), partitionId)

        /** The column every elastic table has for its partition: `partitionid`. */
        public const val PARTITION_ID_COLUMN: String = "partitionid"

        /** The longest partition id, in UTF-8 bytes (Learn: "Elastic tables", Choosing a PartitionId value). */
        public const val MAX_PARTITION_ID_BYTES: Int = 1024

        private const val FORBIDDEN_PARTITION_CHARACTERS = "/<>*%&:\\?"

        private fun requirePartitionId(partitionId: String?): String {
            if (partitionId == null) throw InvalidInputException("'partitionId' cannot be null; use RecordKey.id for a record without a partition.")
            if (partitionId.isEmpty()) throw InvalidInputException("'partitionId' cannot be empty.")
            ODataLiterals.requireWellFormed(partitionId)
            if (partitionId.toByteArray(Charsets.UTF_8).size > MAX_PARTITION_ID_BYTES) {
                throw InvalidInputException("'partitionId' is longer than $MAX_PARTITION_ID_BYTES UTF-8 bytes.")
            }
            partitionId.firstOrNull { it in FORBIDDEN_PARTITION_CHARACTERS || it.isISOControl() }?.let { c ->
                throw InvalidInputException(
                    "'partitionId' ${Identifiers.quote(partitionId)} contains ${Identifiers.quote(c.toString())}, which alternate key values " +
                        "cannot hold: / < > * % & : \\ ? and control characters are not allowed.",
                )
            }
            return partitionId
        }

        /** Kotlin shorthand for a composite alternate key: `RecordKey.alternate("firstname" to "Joe", "lastname" to "Doe")`. */
        @JvmSynthetic
        public fun alternate(vararg values: Pair<String, Any>): RecordKey = alternate(linkedMapOf(*values))
    }
}
