package dev.dataverse.java

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
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.toKotlinTimeout
import dev.dataverse.schema.SchemaDriftReport
import dev.dataverse.schema.SchemaSnapshot
import java.util.concurrent.CompletableFuture

/**
 * The schema of the environment — tables, columns, choices, relationships and alternate keys — as `CompletableFuture`s.
 * Obtained from [DataverseAsyncClient.tables]. The documentation of [dev.dataverse.Tables] applies; failures, invalid
 * input included, complete the future exceptionally, and cancelling a future cancels its call (see [AsyncRecords]).
 *
 * ```java
 * client.tables().create(TableSpec.builder("new_Product", "Product").build())
 *     .thenCompose(table -> client.tables().addColumn(table.getLogicalName(), ColumnSpec.money("new_Price", "Price")))
 *     .thenAccept(column -> System.out.println("added " + column.getLogicalName()));
 * ```
 */
public class AsyncTables private constructor(private val client: SharedClient) {
    private val tables get() = client.core.tables

    /** The definition of [table]; fails with [dev.dataverse.NotFoundException] when there is no such table. */
    public fun get(table: String): CompletableFuture<TableInfo> = client.future { tables.get(table) }

    /** The tables of the environment, ordered by logical name; see [TableListOptions]. */
    @JvmOverloads
    public fun list(options: TableListOptions = TableListOptions.DEFAULT): CompletableFuture<List<TableInfo>> =
        client.future { tables.list(options) }

    /** Creates a custom table; fails with [dev.dataverse.DuplicateRecordException] when it exists. */
    public fun create(table: TableSpec): CompletableFuture<TableInfo> = client.future { tables.create(table) }

    /** Deletes a custom table and all its records; completes with `null`. */
    public fun delete(table: String): CompletableFuture<Void?> = client.future { tables.delete(table); null }

    /** Turns on change tracking for [table], for good; see [dev.dataverse.Tables.enableChangeTracking]. */
    public fun enableChangeTracking(table: String): CompletableFuture<TableInfo> = client.future { tables.enableChangeTracking(table) }

    /** The columns of [table], ordered by logical name. */
    public fun columns(table: String): CompletableFuture<List<ColumnInfo>> = client.future { tables.columns(table) }

    /** One column of [table]. */
    public fun column(table: String, column: String): CompletableFuture<ColumnInfo> = client.future { tables.column(table, column) }

    /** Adds a column to [table]; a lookup is created through a one-to-many relationship. */
    public fun addColumn(table: String, column: ColumnSpec): CompletableFuture<ColumnInfo> =
        client.future { tables.addColumn(table, column) }

    /** Removes a custom column and its data; completes with `null`. */
    public fun removeColumn(table: String, column: String): CompletableFuture<Void?> =
        client.future { tables.removeColumn(table, column); null }

    /** The options of a choice column, cached; see [dev.dataverse.Tables.choices]. */
    public fun choices(table: String, column: String): CompletableFuture<ChoiceOptions> =
        client.future { tables.choices(table, column) }

    /** The relationships [table] takes part in. */
    public fun relationships(table: String): CompletableFuture<List<RelationshipInfo>> =
        client.future { tables.relationships(table) }

    /** The relationship with this schema name. */
    public fun relationship(schemaName: String): CompletableFuture<RelationshipInfo> =
        client.future { tables.relationship(schemaName) }

    /** Creates a one-to-many or many-to-many relationship. */
    public fun createRelationship(relationship: RelationshipSpec): CompletableFuture<RelationshipInfo> =
        client.future { tables.createRelationship(relationship) }

    /** Deletes a custom relationship; completes with `null`. */
    public fun deleteRelationship(schemaName: String): CompletableFuture<Void?> =
        client.future { tables.deleteRelationship(schemaName); null }

    /** The alternate keys of [table], with the status of their index. */
    public fun keys(table: String): CompletableFuture<List<AlternateKeyInfo>> = client.future { tables.keys(table) }

    /** Creates an alternate key; its index is built in the background (see [awaitKey]). */
    public fun createKey(table: String, key: AlternateKeySpec): CompletableFuture<AlternateKeyInfo> =
        client.future { tables.createKey(table, key) }

    /**
     * [awaitKey] with the default timeout of 10 minutes ([dev.dataverse.Tables.defaultAwaitKeyTimeout]).
     */
    public fun awaitKey(table: String, schemaName: String): CompletableFuture<AlternateKeyInfo> =
        client.future { tables.awaitKey(table, schemaName) }

    /**
     * Completes with the key [schemaName] once its index is active or failed; fails with
     * [dev.dataverse.RequestTimeoutException] after [timeout].
     */
    public fun awaitKey(table: String, schemaName: String, timeout: java.time.Duration): CompletableFuture<AlternateKeyInfo> =
        client.future { tables.awaitKey(table, schemaName, toKotlinTimeout(timeout)) }

    /** Deletes the alternate key [schemaName] of [table]; completes with `null`. */
    public fun deleteKey(table: String, schemaName: String): CompletableFuture<Void?> =
        client.future { tables.deleteKey(table, schemaName); null }

    /**
     * Reads [tables] and [customApis] from the environment as a schema snapshot; see [dev.dataverse.Tables.exportSnapshot].
     * The future fails with [dev.dataverse.NotFoundException] when the environment has no such table or custom API.
     */
    @JvmOverloads
    public fun exportSnapshot(tables: List<String>, customApis: List<String> = emptyList(), source: String? = null): CompletableFuture<SchemaSnapshot> =
        client.future { this@AsyncTables.tables.exportSnapshot(tables, customApis, source) }

    /** The differences between the environment and [snapshot]; see [dev.dataverse.Tables.checkSnapshot]. */
    public fun checkSnapshot(snapshot: SchemaSnapshot): CompletableFuture<SchemaDriftReport> = client.future { tables.checkSnapshot(snapshot) }

    /**
     * Completes normally when the environment matches [snapshot], exceptionally with
     * [dev.dataverse.schema.SchemaDriftException] otherwise; see [dev.dataverse.Tables.requireSnapshot].
     */
    public fun requireSnapshot(snapshot: SchemaSnapshot): CompletableFuture<Void?> = client.future { tables.requireSnapshot(snapshot); null }

    override fun toString(): String = "AsyncTables"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncTables(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncTables = AsyncTables(client)
    }
}
