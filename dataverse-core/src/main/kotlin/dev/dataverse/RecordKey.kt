package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.ODataLiterals
import dev.dataverse.internal.protocol.parseGuid
import java.util.UUID

/**
 * Identifies one record: by its primary id, or by the values of an alternate key defined on the table.
 *
 * ```kotlin
 * RecordKey.id(accountId)                                            // accounts(00000000-...)
 * RecordKey.alternate("accountnumber", "A-100")                      // accounts(accountnumber='A-100')
 * RecordKey.alternate(mapOf("firstname" to "Joe", "emailaddress1" to "joe@example.com"))   // composite key
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
) {
    /** The alternate key's column values in the order given; empty for a primary-id key. */
    public val alternateKey: Map<String, Any> get() = alternateValues

    /** The key as it appears between the parentheses of a resource path, before percent-encoding. */
    @get:JvmSynthetic
    internal val segment: String = id?.toString()
        ?: alternateValues.entries.joinToString(",") { (column, value) -> "$column=${ODataLiterals.format(value)}" }

    override fun equals(other: Any?): Boolean =
        other is RecordKey && other.id == id && other.alternateValues == alternateValues

    override fun hashCode(): Int = id?.hashCode() ?: alternateValues.hashCode()

    override fun toString(): String = "RecordKey($segment)"

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

        /** Kotlin shorthand for a composite alternate key: `RecordKey.alternate("firstname" to "Joe", "lastname" to "Doe")`. */
        @JvmSynthetic
        public fun alternate(vararg values: Pair<String, Any>): RecordKey = alternate(linkedMapOf(*values))
    }
}
