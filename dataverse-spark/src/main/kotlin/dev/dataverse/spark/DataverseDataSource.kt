package dev.dataverse.spark

import dev.dataverse.spark.internal.ConnectorOptions
import dev.dataverse.spark.internal.DataverseTable
import dev.dataverse.spark.internal.SchemaMapping
import dev.dataverse.spark.internal.TableSchema
import org.apache.spark.sql.connector.catalog.Table
import org.apache.spark.sql.connector.catalog.TableProvider
import org.apache.spark.sql.connector.expressions.Transform
import org.apache.spark.sql.sources.DataSourceRegister
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.util.CaseInsensitiveStringMap

/**
 * The Spark data source `dataverse` (DataSource V2): partitioned reads and exactly-once bulk writes of one Dataverse
 * table, within a job-wide concurrency budget.
 *
 * Spark finds it by its short name once this module is on the classpath; the class is public only for that. Options are
 * listed in [DataverseSparkOptions] and documented in the README section "Apache Spark".
 *
 * ```scala
 * val accounts = spark.read.format("dataverse")
 *   .option("url", "https://contoso.crm.dynamics.com").option("token", token)
 *   .option("table", "account").option("partitions", "8")
 *   .load()
 * accounts.write.format("dataverse").mode("append")
 *   .option("url", "https://contoso.crm.dynamics.com").option("token", token)
 *   .option("table", "account").option("operation", "upsert").option("alternateKey", "accountnumber")
 *   .save()
 * ```
 * Without a schema from the user, the schema is inferred from the table's metadata; see the README for the type mapping.
 */
public class DataverseDataSource : TableProvider, DataSourceRegister {
    /** `dataverse`, the name for `format(...)`. */
    override fun shortName(): String = SHORT_NAME

    /** The table's schema from its metadata: one field per column (and label and lookup-table companions). */
    override fun inferSchema(options: CaseInsensitiveStringMap): StructType {
        val parsed = ConnectorOptions.parse(options.asCaseSensitiveMap())
        return SchemaMapping.infer(SchemaMapping.selected(TableSchema.load(parsed).columns, parsed.select, parsed.table), parsed.choiceLabels)
    }

    /** The table, with [schema] inferred or given by the user (a subset of the columns, in any order). */
    override fun getTable(schema: StructType, partitioning: Array<out Transform>, properties: MutableMap<String, String>): Table {
        val parsed = ConnectorOptions.parse(properties)
        return DataverseTable(schema, parsed, TableSchema.load(parsed))
    }

    /** A user-given schema (or the DataFrame's, when writing) is used as given, checked against the table's columns. */
    override fun supportsExternalMetadata(): Boolean = true

    /** Constants. */
    public companion object {
        /** The format name, `dataverse`. */
        public const val SHORT_NAME: String = "dataverse"
    }
}
