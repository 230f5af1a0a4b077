package dev.dataverse.java

import dev.dataverse.java.internal.SharedClient
import dev.dataverse.AlternateKeyInfo
import dev.dataverse.AlternateKeySpec
import dev.dataverse.ChoiceOptions
import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnSpec
import dev.dataverse.RelationshipInfo
import dev.dataverse.RelationshipSpec
import dev.dataverse.TableInfo
import dev.dataverse.TableListOptions
import dev.dataverse.TableSpec
import dev.dataverse.Tables
import dev.dataverse.schema.SchemaDriftReport
import dev.dataverse.schema.SchemaSnapshot
import dev.dataverse.java.internal.blocking
import dev.dataverse.java.internal.toKotlinTimeout

/**
 * The schema of the environment — tables, columns, choices, relationships and alternate keys — blocking the calling
 * thread until the service has answered. Obtained from [DataverseBlockingClient.tables].
 *
 * Every method runs the core's suspending [Tables] operation; its documentation applies (caching, `Consistency: Strong`
 * after changes, the exceptions each condition raises).
 *
 * ```java
 * BlockingTables tables = client.tables();
 * TableInfo product = tables.create(TableSpec.builder("new_Product", "Product")
 *     .column(ColumnSpec.money("new_Price", "Price"))
 *     .column(ColumnSpec.choice("new_Size", "Size", "Small", "Medium", "Large"))
 *     .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
 *     .build());
 * client.records().create("new_product", Map.of("new_name", "Widget", "new_size", ChoiceLabel.of("Medium")));
 * tables.createKey("new_product", new AlternateKeySpec("new_NameKey", List.of("new_name")));
 * tables.awaitKey("new_product", "new_NameKey", Duration.ofMinutes(5));
 * ```
 *
 * Invalid names and specifications throw [dev.dataverse.InvalidInputException] before anything is sent. Interrupting a
 * blocked thread cancels the call, as for [BlockingRecords]. All methods are thread-safe.
 */
public class BlockingTables private constructor(client: SharedClient) {
    private val tables: Tables = client.core.tables

    /** The definition of [table]. @throws dev.dataverse.NotFoundException when there is no such table. */
    public fun get(table: String): TableInfo = blocking { tables.get(table) }

    /** The tables of the environment, ordered by logical name; see [TableListOptions]. */
    @JvmOverloads
    public fun list(options: TableListOptions = TableListOptions.DEFAULT): List<TableInfo> = blocking { tables.list(options) }

    /**
     * Creates a custom table with the columns of [table] and returns its definition.
     *
     * @throws dev.dataverse.DuplicateRecordException when a table with this schema name exists.
     */
    public fun create(table: TableSpec): TableInfo = blocking { tables.create(table) }

    /** Deletes a custom table and all its records. @throws dev.dataverse.NotFoundException when there is no such table. */
    public fun delete(table: String): Unit = blocking { tables.delete(table) }

    /** Turns on change tracking for [table], for good; see [dev.dataverse.Tables.enableChangeTracking]. */
    public fun enableChangeTracking(table: String): TableInfo = blocking { tables.enableChangeTracking(table) }

    /** The columns of [table], ordered by logical name. */
    public fun columns(table: String): List<ColumnInfo> = blocking { tables.columns(table) }

    /** One column of [table]. @throws dev.dataverse.NotFoundException when there is no such column. */
    public fun column(table: String, column: String): ColumnInfo = blocking { tables.column(table, column) }

    /** Adds a column to [table] and returns its definition; a lookup is created through a one-to-many relationship. */
    public fun addColumn(table: String, column: ColumnSpec): ColumnInfo = blocking { tables.addColumn(table, column) }

    /** Removes a custom column and its data from [table]. */
    public fun removeColumn(table: String, column: String): Unit = blocking { tables.removeColumn(table, column) }

    /** The options of a choice column, cached; see [Tables.choices]. */
    public fun choices(table: String, column: String): ChoiceOptions = blocking { tables.choices(table, column) }

    /** The relationships [table] takes part in. */
    public fun relationships(table: String): List<RelationshipInfo> = blocking { tables.relationships(table) }

    /** The relationship with this schema name. @throws dev.dataverse.NotFoundException when there is none. */
    public fun relationship(schemaName: String): RelationshipInfo = blocking { tables.relationship(schemaName) }

    /** Creates a one-to-many ([dev.dataverse.OneToManySpec]) or many-to-many ([dev.dataverse.ManyToManySpec]) relationship. */
    public fun createRelationship(relationship: RelationshipSpec): RelationshipInfo =
        blocking { tables.createRelationship(relationship) }

    /** Deletes a custom relationship (and, for one-to-many, its lookup column). */
    public fun deleteRelationship(schemaName: String): Unit = blocking { tables.deleteRelationship(schemaName) }

    /** The alternate keys of [table], with the status of their index. */
    public fun keys(table: String): List<AlternateKeyInfo> = blocking { tables.keys(table) }

    /** Creates an alternate key; its index is built in the background (see [awaitKey]). */
    public fun createKey(table: String, key: AlternateKeySpec): AlternateKeyInfo = blocking { tables.createKey(table, key) }

    /**
     * [awaitKey] with the default timeout of 10 minutes ([dev.dataverse.Tables.defaultAwaitKeyTimeout]).
     */
    public fun awaitKey(table: String, schemaName: String): AlternateKeyInfo =
        blocking { tables.awaitKey(table, schemaName) }

    /**
     * Waits until the index of the key [schemaName] is active or failed, at most [timeout], and returns the key.
     *
     * @throws dev.dataverse.RequestTimeoutException when the key is still being built after [timeout].
     */
    public fun awaitKey(table: String, schemaName: String, timeout: java.time.Duration): AlternateKeyInfo =
        blocking { tables.awaitKey(table, schemaName, toKotlinTimeout(timeout)) }

    /** Deletes the alternate key [schemaName] of [table]. */
    public fun deleteKey(table: String, schemaName: String): Unit = blocking { tables.deleteKey(table, schemaName) }

    /**
     * Reads [tables] and [customApis] from the environment as a schema snapshot; write it with
     * [dev.dataverse.schema.SchemaSnapshot.write]. See [dev.dataverse.Tables.exportSnapshot].
     *
     * ```java
     * SchemaSnapshot snapshot = client.tables().exportSnapshot(List.of("account", "new_product"), List.of("new_Ping"));
     * snapshot.write(Path.of("dataverse-schema.json"));
     * ```
     *
     * @throws dev.dataverse.NotFoundException when the environment has no such table or custom API.
     */
    @JvmOverloads
    public fun exportSnapshot(tables: List<String>, customApis: List<String> = emptyList(), source: String? = null): SchemaSnapshot =
        blocking { this@BlockingTables.tables.exportSnapshot(tables, customApis, source) }

    /** The differences between the environment and [snapshot]; empty when they match. See [dev.dataverse.Tables.checkSnapshot]. */
    public fun checkSnapshot(snapshot: SchemaSnapshot): SchemaDriftReport = blocking { tables.checkSnapshot(snapshot) }

    /**
     * Throws [dev.dataverse.schema.SchemaDriftException] naming every difference when the environment differs from
     * [snapshot]; the start-up check of generated code. See [dev.dataverse.Tables.requireSnapshot].
     */
    public fun requireSnapshot(snapshot: SchemaSnapshot): Unit = blocking { tables.requireSnapshot(snapshot) }

    override fun toString(): String = "BlockingTables"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingTables(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingTables = BlockingTables(client)
    }
}
