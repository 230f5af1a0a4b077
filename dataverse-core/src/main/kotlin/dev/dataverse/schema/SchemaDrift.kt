package dev.dataverse.schema

import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.DataverseException

/**
 * One difference between a schema snapshot (what code was generated from) and an environment, found by
 * [SchemaSnapshot.diff] or `client.tables.checkSnapshot`.
 *
 * [expected] is what the snapshot says and [actual] what the environment has, as short text (`Picklist`,
 * `account, contact`, `100000002`); either is `null` when the thing is absent on that side.
 */
public class SchemaDrift(
    /** What kind of difference this is. */
    public val kind: SchemaDriftKind,
    /** The table concerned (logical name); `null` for custom API differences. */
    public val table: String?,
    /**
     * The column, alternate key, custom API or parameter concerned: `name`, `new_key`, `new_Ping`,
     * `new_Ping.Text`; `null` for a missing table.
     */
    public val member: String?,
    /** What the snapshot says; `null` when the snapshot has nothing there. */
    public val expected: String?,
    /** What the environment has; `null` when it has nothing there. */
    public val actual: String?,
) {
    /** A one-line description, e.g. `account.industrycode: COLUMN_TYPE_CHANGED (expected Picklist, found String)`. */
    public val description: String
        get() = buildString {
            append(listOfNotNull(table, member).joinToString("."))
            append(": ").append(kind)
            if (expected != null || actual != null) append(" (expected ").append(expected ?: "none").append(", found ").append(actual ?: "none").append(')')
        }

    override fun equals(other: Any?): Boolean = other is SchemaDrift && other.kind == kind && other.table == table &&
        other.member == member && other.expected == expected && other.actual == actual

    override fun hashCode(): Int = listOf(kind, table, member, expected, actual).hashCode()

    override fun toString(): String = description
}

/**
 * The differences between a schema snapshot and an environment: empty when the environment still has everything the
 * snapshot describes, as the snapshot describes it.
 *
 * Only what generated code depends on is compared: that the snapshot's tables, columns, alternate keys and custom
 * APIs exist, column types, the option values of choice columns (not their labels, which depend on the user's
 * language), lookup targets, and custom API bindings and parameters. What the environment has beyond the snapshot
 * (other tables, new columns) is no drift.
 */
public class SchemaDriftReport(differences: List<SchemaDrift>) {
    /** The differences, in the order of the snapshot (tables, then custom APIs). */
    public val differences: List<SchemaDrift> = SchemaChecks.frozen(differences)

    /** Whether the environment matches the snapshot. */
    public val isEmpty: Boolean get() = differences.isEmpty()

    /**
     * Throws [SchemaDriftException] listing the differences unless there are none. Generated code calls this at start-up
     * so that a schema changed under it fails fast with every difference named, rather than later with a service error.
     */
    public fun throwIfDrifted() {
        if (differences.isNotEmpty()) throw SchemaDriftException(this)
    }

    override fun equals(other: Any?): Boolean = other is SchemaDriftReport && other.differences == differences

    override fun hashCode(): Int = differences.hashCode()

    override fun toString(): String =
        if (differences.isEmpty()) "SchemaDriftReport(no differences)" else differences.joinToString("\n", "SchemaDriftReport:\n") { "  $it" }
}

/**
 * The environment's schema differs from the snapshot the code was generated from; [report] lists every difference and
 * the message names them. Raised by [SchemaDriftReport.throwIfDrifted] and `client.tables.requireSnapshot`.
 */
public class SchemaDriftException(
    /** The differences found. */
    public val report: SchemaDriftReport,
) : DataverseException(
    "The environment's schema differs from the schema snapshot in ${report.differences.size} place(s):\n" +
        report.differences.joinToString("\n") { "  ${it.description}" },
)
