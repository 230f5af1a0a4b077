package dev.dataverse

import dev.dataverse.schema.SchemaDriftReport
import dev.dataverse.schema.SchemaSnapshot
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes

/**
 * The schema of the environment: tables, columns, choices, relationships and alternate keys.
 *
 * Apps that provision their own schema use it to create what they need at start-up; other apps use it to read choice
 * labels and to inspect tables. Every function takes logical names (`"account"`, `"new_product"`), compared as the
 * service does, case-insensitively.
 *
 * ## Caches
 * The client caches what it reads often (a table's entity set and primary id, its column names, its choice options).
 * Schema changes made through this client invalidate the affected entries at once, and the reads that follow a change
 * carry `Consistency: Strong`, so the client sees its own changes immediately. Changes made elsewhere are seen when a
 * cached entry expires (see [DataverseClient.Builder.metadataCacheTtl]).
 *
 * ## Errors
 * Invalid names and specifications raise [InvalidInputException] before anything is sent. Creating what exists raises
 * [DuplicateRecordException]; reading or deleting what does not exist raises [NotFoundException].
 */
public interface Tables {
    /**
     * The definition of [table].
     *
     * @throws NotFoundException when the environment has no such table.
     */
    public suspend fun get(table: String): TableInfo

    /** The tables of the environment, private tables excluded, ordered by logical name; see [TableListOptions]. */
    public suspend fun list(options: TableListOptions = TableListOptions.DEFAULT): List<TableInfo>

    /**
     * Creates a custom table with its primary name column and the other columns of [table], then returns its
     * definition. Lookup columns in [TableSpec.columns] are created as one-to-many relationships after the table; when
     * one of them fails, the table is deleted again before the error is raised, so a retry starts from scratch.
     *
     * @throws InvalidInputException when a schema name lacks a publisher prefix or has illegal characters.
     * @throws DuplicateRecordException when a table with this schema name exists.
     */
    public suspend fun create(table: TableSpec): TableInfo

    /**
     * Deletes a custom table with all its records, columns, relationships and keys.
     *
     * @throws NotFoundException when the environment has no such table.
     */
    public suspend fun delete(table: String)

    /**
     * Turns on change tracking for [table] (`ChangeTrackingEnabled`), so that [Records.changes] can read what changed,
     * and returns the table as read back. The service updates a table with `PUT EntityDefinitions(<id>)` carrying the
     * whole definition (Learn: create-update-entity-definitions-using-web-api), so the client reads the definition,
     * sets the flag and sends it back with `MSCRM.MergeLabels: true`. Does nothing more when it is on already. There is
     * no way back: once enabled, change tracking cannot be disabled (Learn: "Use change tracking to synchronize data
     * with external systems").
     *
     * @throws NotFoundException when the environment has no such table.
     * @throws BadRequestException when the service refuses change tracking for this table (see `CanChangeTrackingBeEnabled`).
     */
    public suspend fun enableChangeTracking(table: String): TableInfo

    /** The columns of [table], ordered by logical name. */
    public suspend fun columns(table: String): List<ColumnInfo>

    /**
     * One column of [table].
     *
     * @throws NotFoundException when the table has no such column.
     */
    public suspend fun column(table: String, column: String): ColumnInfo

    /**
     * Adds a column to [table] and returns its definition. A [ColumnSpec.lookup] column is created through a
     * one-to-many relationship from its target table.
     *
     * @throws DuplicateRecordException when the table has a column with this schema name.
     */
    public suspend fun addColumn(table: String, column: ColumnSpec): ColumnInfo

    /**
     * Removes a custom column and its data from [table].
     *
     * @throws NotFoundException when the table has no such column.
     */
    public suspend fun removeColumn(table: String, column: String)

    /**
     * The options of a choice, multi-select choice, state, status or yes/no column: values and their labels in the
     * user's language. Cached per table for [DataverseClient.Builder.metadataCacheTtl].
     *
     * Write payloads may use [ChoiceLabel] values (`"industrycode" to ChoiceLabel("Consulting")`); the client resolves
     * them through this cache before sending.
     * @throws InvalidInputException when the column is not a choice column.
     */
    public suspend fun choices(table: String, column: String): ChoiceOptions

    /** The relationships [table] takes part in: one-to-many, many-to-one and many-to-many. */
    public suspend fun relationships(table: String): List<RelationshipInfo>

    /**
     * The relationship with this schema name.
     *
     * @throws NotFoundException when there is none.
     */
    public suspend fun relationship(schemaName: String): RelationshipInfo

    /**
     * Creates a relationship: a [OneToManySpec] with its lookup column, or a [ManyToManySpec] with its intersect table.
     *
     * @throws DuplicateRecordException when a relationship with this schema name exists.
     */
    public suspend fun createRelationship(relationship: RelationshipSpec): RelationshipInfo

    /**
     * Deletes a custom relationship (and, for one-to-many, its lookup column).
     *
     * @throws NotFoundException when there is none.
     */
    public suspend fun deleteRelationship(schemaName: String)

    /** The alternate keys of [table], with the status of their index. */
    public suspend fun keys(table: String): List<AlternateKeyInfo>

    /**
     * Creates an alternate key. The service builds its index in the background: the key can be used for upserts and
     * lookups once [AlternateKeyInfo.status] is [KeyIndexStatus.ACTIVE]; see [awaitKey].
     *
     * @throws DuplicateRecordException when the table has a key with this schema name.
     */
    public suspend fun createKey(table: String, key: AlternateKeySpec): AlternateKeyInfo

    /**
     * Waits until the index of the key [schemaName] is [KeyIndexStatus.ACTIVE] or [KeyIndexStatus.FAILED], polling with
     * backoff, and returns the key.
     *
     * @throws RequestTimeoutException when the key is still being built after [timeout].
     * @throws NotFoundException when the table has no such key.
     */
    @JvmSynthetic
    public suspend fun awaitKey(table: String, schemaName: String, timeout: Duration = DEFAULT_AWAIT_KEY_TIMEOUT): AlternateKeyInfo

    /**
     * Deletes the alternate key [schemaName] of [table].
     *
     * @throws NotFoundException when the table has no such key.
     */
    public suspend fun deleteKey(table: String, schemaName: String)

    /**
     * Reads the definitions of [tables] and [customApis] from the environment as a [SchemaSnapshot]: names, columns
     * with their types, choice options and lookup targets, alternate keys, every relationship the tables take part in,
     * and the custom APIs with their request parameters and response properties. Write it with
     * [SchemaSnapshot.write]; code generators, the emulator (`--schema`) and [checkSnapshot] read it back.
     *
     * Labels are in the calling user's language. [source] is a free label written into the file (e.g. `contoso-dev`);
     * the default leaves it out, so a snapshot does not record which environment it came from.
     *
     * Requests (Learn: "Retrieve table definitions by name or MetadataId", "Query table definitions using the Web API"
     * with the attribute casts, "CustomAPI tables"): per table, its definition, `Attributes`, one cast per kind of choice
     * column with `$expand=OptionSet`, `Keys` and the three relationship lists; one `customapis` query with
     * `$expand=CustomAPIRequestParameters,CustomAPIResponseProperties` per 20 custom APIs. Nothing is cached.
     *
     * @throws InvalidInputException when a name is malformed or both lists are empty (nothing is sent).
     * @throws NotFoundException when the environment has no such table or custom API; no snapshot is returned.
     */
    public suspend fun exportSnapshot(tables: List<String>, customApis: List<String> = emptyList(), source: String? = null): SchemaSnapshot

    /**
     * Compares the environment with [snapshot]: reads its tables and custom APIs now and reports what differs (missing
     * tables, columns, keys and custom APIs; changed column types, choice option values, lookup targets, custom API
     * bindings and parameters). An empty report means the environment still has everything the snapshot describes.
     * What the environment has beyond the snapshot is not drift.
     */
    public suspend fun checkSnapshot(snapshot: SchemaSnapshot): SchemaDriftReport

    /**
     * [checkSnapshot], throwing when anything differs: the start-up check generated code runs so that a schema changed
     * under it fails fast, naming every difference.
     *
     * @throws dev.dataverse.schema.SchemaDriftException when the environment differs from [snapshot].
     */
    public suspend fun requireSnapshot(snapshot: SchemaSnapshot)

    public companion object {
        /** How long [awaitKey] waits unless told otherwise: 10 minutes. Java: [defaultAwaitKeyTimeout]. */
        @get:JvmSynthetic
        public val DEFAULT_AWAIT_KEY_TIMEOUT: Duration = 10.minutes

        /** [DEFAULT_AWAIT_KEY_TIMEOUT] as a `java.time.Duration`. */
        @JvmStatic
        public fun defaultAwaitKeyTimeout(): java.time.Duration = java.time.Duration.ofMinutes(10)
    }
}
