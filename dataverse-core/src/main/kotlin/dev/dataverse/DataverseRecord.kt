// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-DataverseRecord")

package dev.dataverse

import dev.dataverse.internal.protocol.ExpandTarget
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.JsonValues
import dev.dataverse.internal.protocol.NestedTables
import dev.dataverse.internal.protocol.parseGuidOrNull
import kotlinx.serialization.DeserializationStrategy
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.format.DateTimeParseException
import java.util.UUID

/**
 * One Dataverse record as the service returned it: column values plus annotations.
 *
 * ## Null and type rules
 * Typed getters (`getString`, `getInt`, ...) return `null` when the column is absent or null: from Java they return boxed
 * types (`Integer`, `Long`, `Double`, `Boolean`), never a primitive the library would have to unbox. Java code that wants
 * a primitive uses the overloads with a default (`getInt("numberofemployees", 0)`), which return the default for an
 * absent or null column. A column that holds a value of another type throws [ColumnTypeException] naming the column,
 * the table and the value, whichever getter is used; nothing is converted silently (a decimal is not truncated to an
 * `Int`, a string `"1"` is not a number).
 *
 * ## Why the name
 * The class is `DataverseRecord` rather than `Record` so that `import dev.dataverse.*;` compiles in Java 16+, where
 * `java.lang.Record` is imported implicitly and an unqualified `Record` would be ambiguous.
 *
 * Annotations (formatted values, lookup targets) are present only when the query asked
 * for them ([ListOptions.includeAnnotations], [RetrieveOptions.includeAnnotations]).
 *
 * ```kotlin
 * val account = records.get("account", id)
 * val name: String? = account.getString("name")
 * val revenue: BigDecimal? = account.getDecimal("revenue")
 * val industry: String? = account.formattedValue("industrycode")      // "Accounting"
 * val typed: Account = account.decode(Account.serializer())           // your @Serializable class
 * ```
 * Records are immutable and safe to share between threads.
 */
public class DataverseRecord private constructor(
    /**
     * Logical name of the record's table, e.g. `account`. A record nested in an `$expand` ([getExpanded],
     * [getExpandedList]) knows its table too: the target of the navigation property, from the relationship metadata the
     * client caches per table (read once, before the first read that expands a property of the table). It is `null` for
     * a nested record when that cannot be known without more: levels inside a hand-written [Expand.raw] clause (only
     * its first navigation property is resolved), reads inside a `$batch`, records built with [fromJson] from the
     * service's JSON alone (see [fromJson] for the annotations that carry it), and when the relationship metadata could
     * not be read.
     */
    public val table: String?,
    private val primaryIdAttribute: String?,
    private val json: JsonObject,
    private val expansions: Map<String, ExpandTarget>,
) {
    /**
     * The record's primary id, read from its [primaryIdColumn] (the service always returns it for a top-level record).
     * For a nested record it is set when its table is known (see [table]) and its id column is in the nested object
     * (an expand's `select` may leave it out); otherwise `null`: then read the id column with [getUuid].
     */
    public val id: UUID? get() = primaryIdAttribute?.let { getUuid(it) }

    /**
     * The column holding [id] (the table's primary id attribute, e.g. `accountid`); `null` for a nested record whose
     * table is not known (see [table]).
     */
    public val primaryIdColumn: String? get() = primaryIdAttribute

    /** The record's version (`@odata.etag`, e.g. `W/"81052965"`), for optimistic concurrency with [MatchConditions.ifMatch]. */
    public val etag: String? get() = (json[ETAG] as? JsonPrimitive)?.takeIf { it.isString }?.content

    /** Names of the columns present, without annotations. */
    public val columns: Set<String> get() = json.keys.filterTo(LinkedHashSet()) { '@' !in it }

    /** Whether [column] is present in the response (its value may still be null). */
    public fun contains(column: String): Boolean = column in json

    /** Whether [column] is absent or null. */
    public fun isNull(column: String): Boolean = json[column].let { it == null || it is JsonNull }

    /** A text column (string, memo, and also date-times and GUIDs as the service writes them). */
    public fun getString(column: String): String? = primitive(column)?.let {
        if (it.isString) it.content else typeMismatch(column, it, "a string")
    }

    /** [getInt], or [defaultValue] when the column is absent or null: for Java code that wants an `int`. */
    public fun getInt(column: String, defaultValue: Int): Int = getInt(column) ?: defaultValue

    /** [getLong], or [defaultValue] when the column is absent or null. */
    public fun getLong(column: String, defaultValue: Long): Long = getLong(column) ?: defaultValue

    /** [getDouble], or [defaultValue] when the column is absent or null. */
    public fun getDouble(column: String, defaultValue: Double): Double = getDouble(column) ?: defaultValue

    /** [getBoolean], or [defaultValue] when the column is absent or null. */
    public fun getBoolean(column: String, defaultValue: Boolean): Boolean = getBoolean(column) ?: defaultValue

    /** A whole-number column that fits in an `Int` (integer, choice, state and status columns). */
    public fun getInt(column: String): Int? = getLong(column)?.let {
        if (it in Int.MIN_VALUE..Int.MAX_VALUE) it.toInt() else typeMismatch(column, json.getValue(column), "an Int")
    }

    /** A whole-number column (integer, big integer, choice). */
    public fun getLong(column: String): Long? = number(column, "a whole number") {
        it.toBigDecimalOrNull()?.let { value -> runCatching { value.longValueExact() }.getOrNull() }
    }

    /** A decimal or money column, exactly as the service wrote it. */
    public fun getDecimal(column: String): BigDecimal? = number(column, "a number") { it.toBigDecimalOrNull() }

    /** A floating-point column. */
    public fun getDouble(column: String): Double? = number(column, "a number") { it.toDoubleOrNull() }

    /** A yes/no column. */
    public fun getBoolean(column: String): Boolean? {
        val value = primitive(column) ?: return null
        return (if (value.isString) null else value.booleanOrNull) ?: typeMismatch(column, value, "a boolean")
    }

    /** A GUID column: primary ids, lookups (`_primarycontactid_value`), uniqueidentifier columns. */
    public fun getUuid(column: String): UUID? =
        getString(column)?.let { parseGuidOrNull(it) ?: typeMismatch(column, json.getValue(column), "a GUID") }

    /** A date-time column, as an instant. The service writes date-times in UTC. */
    public fun getInstant(column: String): Instant? = getOffsetDateTime(column)?.toInstant()

    /** A date-time column with its offset as the service wrote it. */
    public fun getOffsetDateTime(column: String): OffsetDateTime? = getString(column)?.let {
        try {
            OffsetDateTime.parse(it)
        } catch (e: DateTimeParseException) {
            typeMismatch(column, json.getValue(column), "a date-time")
        }
    }

    /** A date-only column (`2024-05-31`); a date-time value yields its date part as written. */
    public fun getLocalDate(column: String): LocalDate? = getString(column)?.let {
        try {
            LocalDate.parse(it.substringBefore('T'))
        } catch (e: DateTimeParseException) {
            typeMismatch(column, json.getValue(column), "a date")
        }
    }

    /**
     * The label the service shows for [column]'s value (`OData.Community.Display.V1.FormattedValue`): a choice's label,
     * "Yes"/"No", a currency amount, a lookup's primary name. Requires annotations to have been asked for.
     */
    public fun formattedValue(column: String): String? = annotation(column, FORMATTED_VALUE)

    /**
     * The logical name of the table a lookup points to (`Microsoft.Dynamics.CRM.lookuplogicalname`), e.g. `contact` for
     * `_primarycontactid_value`. Requires annotations to have been asked for.
     */
    public fun lookupLogicalName(column: String): String? = annotation(column, LOOKUP_LOGICAL_NAME)

    /** The navigation property behind a lookup value (`Microsoft.Dynamics.CRM.associatednavigationproperty`). */
    public fun associatedNavigationProperty(column: String): String? = annotation(column, ASSOCIATED_NAVIGATION_PROPERTY)

    /** Any annotation of a column, e.g. `annotation("name", "OData.Community.Display.V1.FormattedValue")`. */
    public fun annotation(column: String, annotation: String): String? =
        (json["$column@$annotation"] as? JsonPrimitive)?.takeIf { it.isString }?.content

    /**
     * An expanded single-valued navigation property (`$expand=primarycontactid(...)`), or `null` when absent or empty.
     * The record knows its [table] and [id] when the property's target is known (see [table]).
     *
     * @throws ColumnTypeException if the property holds a collection: use [getExpandedList].
     */
    public fun getExpanded(navigationProperty: String): DataverseRecord? = when (val value = json[navigationProperty]) {
        null, JsonNull -> null
        is JsonObject -> nested(navigationProperty, value)
        else -> typeMismatch(navigationProperty, value, "a single expanded record")
    }

    /**
     * An expanded collection-valued navigation property (e.g. `$expand=contact_customer_accounts`); empty when absent.
     * The records know their [table] and [id] when the property's target is known (see [table]).
     *
     * @throws ColumnTypeException if the property holds something else.
     */
    public fun getExpandedList(navigationProperty: String): List<DataverseRecord> = when (val value = json[navigationProperty]) {
        null, JsonNull -> emptyList()
        is JsonArray -> value.map { item ->
            (item as? JsonObject)?.let { nested(navigationProperty, it) } ?: typeMismatch(navigationProperty, value, "a list of records")
        }
        else -> typeMismatch(navigationProperty, value, "a list of expanded records")
    }

    private fun nested(navigationProperty: String, value: JsonObject): DataverseRecord {
        val target = ExpandTarget.find(expansions, navigationProperty)
        return DataverseRecord(target?.table, target?.primaryIdAttribute, value, target?.nested.orEmpty())
    }

    /** This record with the targets of its expanded navigation properties, resolved by the read that returned it. */
    @JvmSynthetic
    internal fun withExpansions(targets: Map<String, ExpandTarget>): DataverseRecord =
        if (targets.isEmpty()) this else DataverseRecord(table, primaryIdAttribute, json, targets)

    /**
     * Every column and annotation as plain Java values: `String`, `Boolean`, `Long` for whole numbers, `BigDecimal` for
     * other numbers, `null`, and nested `Map`/`List` for expanded navigation properties. The map is a read-only copy.
     */
    public fun toMap(): Map<String, Any?> = JsonValues.toJava(json)

    /** The record as the service sent it. Kotlin only: Java code reads [toMap] or [toJsonString]. */
    @JvmSynthetic
    public fun toJson(): JsonObject = json

    /** The record as the service sent it, as JSON text (columns and annotations). */
    public fun toJsonString(): String = json.toString()

    /**
     * Decodes the record into your own type, e.g. a `@Serializable` data class. Unknown properties (annotations, columns
     * your class lacks) are ignored.
     *
     * @throws IllegalArgumentException naming the problem when the record does not fit the type.
     */
    @JvmSynthetic
    public fun <T> decode(deserializer: DeserializationStrategy<T>): T = try {
        JsonValues.lenient.decodeFromJsonElement(deserializer, json)
    } catch (e: SerializationException) {
        throw IllegalArgumentException("Record of '${table ?: "an expanded table"}' cannot be decoded as ${deserializer.descriptor.serialName}: ${e.message}", e)
    }

    override fun equals(other: Any?): Boolean = other is DataverseRecord && other.table == table && other.json == json

    override fun hashCode(): Int = json.hashCode()

    override fun toString(): String = "DataverseRecord($table, $json)"

    private fun primitive(column: String): JsonPrimitive? = when (val value = json[column]) {
        null, JsonNull -> null
        is JsonPrimitive -> value
        else -> typeMismatch(column, value, "a single value")
    }

    private inline fun <T : Any> number(column: String, expected: String, convert: (String) -> T?): T? {
        val value = primitive(column) ?: return null
        return (if (value.isString) null else convert(value.content)) ?: typeMismatch(column, value, expected)
    }

    private fun typeMismatch(column: String, value: JsonElement, expected: String): Nothing =
        throw ColumnTypeException(
            "Column '$column'${table?.let { " of '$it'" } ?: ""} holds $value, which is not $expected.", column, table,
        )

    public companion object {
        @JvmSynthetic
        internal operator fun invoke(table: String?, primaryIdAttribute: String?, json: JsonObject): DataverseRecord =
            DataverseRecord(table, primaryIdAttribute, json, emptyMap())

        /**
         * A record from the JSON of its columns and annotations, as [toJsonString] writes it and the service sends it: for
         * deserializers (the `dataverse-jackson` module), caches and tests. Numbers keep their exact text.
         *
         * ```java
         * DataverseRecord account = DataverseRecord.fromJson("account", "accountid", "{\"accountid\":\"…\",\"name\":\"Contoso\"}");
         * ```
         *
         * ## Expanded records
         * The service's JSON does not say which table an expanded record belongs to. So that a record written out and
         * read back (the `dataverse-jackson` module does this) keeps the [table] and [id] of its expanded records, an
         * object nested under a navigation property, or the first of a list of them, may carry this library's
         * annotations [NESTED_TABLE] and [NESTED_PRIMARY_ID_COLUMN], at any depth: they become the nested records'
         * [table] and [primaryIdColumn], and are removed from their columns and annotations.
         *
         * @param table the table's logical name, or `null` for a record nested in an `$expand`.
         * @param primaryIdColumn the column holding the record's id (see [primaryIdColumn]), or `null`.
         * @throws InvalidInputException when [json] is not a JSON object, or a name is not a logical name.
         */
        @JvmStatic
        public fun fromJson(table: String?, primaryIdColumn: String?, json: String): DataverseRecord {
            val name = table?.let { Identifiers.requireTable(it) }
            primaryIdColumn?.let { Identifiers.requireColumn(it, "primary id column") }
            val parsed = try {
                Json.parseToJsonElement(json)
            } catch (e: SerializationException) {
                throw InvalidInputException("'json' is not valid JSON: ${e.message?.substringBefore('\n')}")
            }
            val values = parsed as? JsonObject ?: throw InvalidInputException("'json' must be a JSON object, but is ${kind(parsed)}.")
            val (columns, targets) = NestedTables.read(values)
            return DataverseRecord(name, primaryIdColumn, columns, targets)
        }

        /**
         * The annotation naming the table of an expanded record nested in the JSON [fromJson] reads, e.g.
         * `"primarycontactid":{"@dataverse.table":"contact","@dataverse.primaryidcolumn":"contactid",…}`.
         */
        public const val NESTED_TABLE: String = NestedTables.TABLE

        /** The annotation naming the primary id column of an expanded record nested in the JSON [fromJson] reads. */
        public const val NESTED_PRIMARY_ID_COLUMN: String = NestedTables.PRIMARY_ID_COLUMN

        private fun kind(element: JsonElement): String = when (element) {
            is JsonArray -> "an array"
            is JsonNull -> "null"
            else -> "a single value"
        }

        private const val ETAG = "@odata.etag"
        private const val FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue"
        private const val LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname"
        private const val ASSOCIATED_NAVIGATION_PROPERTY = "Microsoft.Dynamics.CRM.associatednavigationproperty"
    }
}

/** Decodes this record into [T], e.g. a `@Serializable` data class. See [DataverseRecord.decode]. */
@JvmSynthetic
public inline fun <reified T> DataverseRecord.decode(): T = decode(kotlinx.serialization.serializer<T>())
