package dev.dataverse.spark

import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.spark.internal.ClientCache
import dev.dataverse.spark.internal.ConnectorOptions
import dev.dataverse.spark.internal.DataverseTable
import dev.dataverse.spark.internal.SchemaMapping
import dev.dataverse.spark.internal.TableSchema
import kotlinx.coroutines.runBlocking
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException
import org.apache.spark.sql.connector.catalog.Identifier
import org.apache.spark.sql.connector.catalog.Table
import org.apache.spark.sql.connector.catalog.TableCatalog
import org.apache.spark.sql.connector.catalog.TableChange
import org.apache.spark.sql.connector.catalog.TableInfo
import org.apache.spark.sql.util.CaseInsensitiveStringMap
import java.util.Locale

/**
 * A Spark catalog of the tables of one Dataverse environment: `SHOW TABLES`, `DESCRIBE`, `SELECT` and `INSERT INTO`
 * on them by name, without a `CREATE TABLE` per table.
 *
 * Register it under a name of your choice, with the options of the `dataverse` format (except `table`) under that name:
 * ```
 * spark.sql.catalog.dv            = dev.dataverse.spark.DataverseCatalog
 * spark.sql.catalog.dv.url        = https://contoso.crm.dynamics.com
 * spark.sql.catalog.dv.token      = <token>            (or clientId, clientSecret, tenantId; or tokenProvider)
 * spark.sql.catalog.dv.operation  = upsert             (any other option, applied to every table)
 * ```
 * ```sql
 * SHOW TABLES IN dv;
 * DESCRIBE dv.account;
 * SELECT name, revenue FROM dv.account WHERE statecode = 0;
 * INSERT INTO dv.account (name, accountnumber) VALUES ('Contoso', 'C-1');
 * ```
 * Tables are named by their logical name, in the catalog's single (empty) namespace; their schema is inferred from the
 * table's metadata as for the format, with each column's display name as its comment. An `INSERT` writes the columns the
 * table accepts: Spark fills the columns a statement does not name with nulls, and nulls leave columns as they are
 * (`ignoreNullValues` defaults to true here); a value for a read-only column fails its row. Options given to one read
 * or write (`spark.read.option(...).table("dv.account")`, `df.writeTo("dv.account").option(...)`) apply on top of the
 * catalog's. Tables are neither created, altered, renamed nor dropped through the catalog: that is schema work, done
 * with the client's `tables` API or in the maker portal. The change stream is read with `readStream.format("dataverse")`.
 */
public class DataverseCatalog : TableCatalog {
    private lateinit var name: String
    private lateinit var options: Map<String, String>

    /** Checks the catalog's options (every one but `table`, which SQL names) before any query uses them. */
    override fun initialize(name: String, options: CaseInsensitiveStringMap) {
        this.name = name
        this.options = options.asCaseSensitiveMap().toMap()
        if (this.options.keys.any { it.equals(DataverseSparkOptions.TABLE, ignoreCase = true) }) {
            throw InvalidInputException("The catalog '$name' names its tables in SQL (`$name.account`): remove its '${DataverseSparkOptions.TABLE}' option.")
        }
        parse(placeholderTable)
    }

    /** The name the catalog was registered under. */
    override fun name(): String = name

    /** The tables of the environment, by logical name. */
    override fun listTables(namespace: Array<out String>): Array<Identifier> {
        requireRoot(namespace)
        val parsed = parse(placeholderTable)
        val tables = ClientCache.use(parsed.connection, 0) { client -> runBlocking { client.tables.list() } }
        return tables.map { Identifier.of(emptyArray(), it.logicalName) }.sortedBy { it.name() }.toTypedArray()
    }

    /** The table [ident] names, with its schema from the table's metadata. */
    override fun loadTable(ident: Identifier): Table {
        requireRoot(ident.namespace())
        val table = ident.name().lowercase(Locale.ROOT)
        val parsed = try {
            parse(table)
        } catch (e: InvalidInputException) {
            throw NoSuchTableException(ident)
        }
        val metadata = try {
            TableSchema.load(parsed)
        } catch (e: NotFoundException) {
            throw NoSuchTableException(ident)
        }
        val schema = SchemaMapping.infer(SchemaMapping.selected(metadata.columns, parsed.select, table), parsed.choiceLabels, comments = true)
        return DataverseTable(schema, parsed, metadata, options + (DataverseSparkOptions.TABLE to table))
    }

    /** Not supported: tables are created with the client's `tables` API or in the maker portal. */
    override fun createTable(ident: Identifier, tableInfo: TableInfo): Table = throw unsupported("created")

    /** Not supported: tables are changed with the client's `tables` API or in the maker portal. */
    override fun alterTable(ident: Identifier, vararg changes: TableChange): Table = throw unsupported("altered")

    /** Not supported: tables are deleted with the client's `tables` API or in the maker portal. */
    override fun dropTable(ident: Identifier): Boolean = throw unsupported("dropped")

    /** Not supported: a table's logical name never changes. */
    override fun renameTable(oldIdent: Identifier, newIdent: Identifier): Unit = throw unsupported("renamed")

    private fun parse(table: String): ConnectorOptions =
        ConnectorOptions.parse(options + (DataverseSparkOptions.TABLE to table), catalogTable = true)

    private fun requireRoot(namespace: Array<out String>) {
        if (namespace.isNotEmpty()) throw NoSuchNamespaceException(namespace.map { it }.toTypedArray())
    }

    private fun unsupported(what: String) = UnsupportedOperationException(
        "Dataverse tables are not $what through the Spark catalog '$name': that is schema work, done with the client's tables API " +
            "(dev.dataverse.Tables) or in the maker portal.",
    )

    /** A name for checking the catalog's options, which hold no table (an instance value: no static field Java can see). */
    private val placeholderTable = "account"
}
