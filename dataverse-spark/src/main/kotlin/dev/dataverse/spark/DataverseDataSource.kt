package dev.dataverse.spark

import dev.dataverse.spark.internal.ChangeSource
import dev.dataverse.spark.internal.ConnectorOptions
import dev.dataverse.spark.internal.DataverseTable
import dev.dataverse.spark.internal.SchemaMapping
import dev.dataverse.spark.internal.StreamSchema
import dev.dataverse.spark.internal.TableSchema
import org.apache.spark.sql.SQLContext
import org.apache.spark.sql.connector.catalog.Table
import org.apache.spark.sql.connector.catalog.TableProvider
import org.apache.spark.sql.connector.expressions.Transform
import org.apache.spark.sql.sources.DataSourceRegister
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.util.CaseInsensitiveStringMap
import org.apache.spark.sql.execution.streaming.Source
import org.apache.spark.sql.sources.StreamSourceProvider
import scala.Option
import scala.Tuple2
import scala.jdk.javaapi.CollectionConverters
import org.apache.spark.sql.classic.SparkSession as ClassicSparkSession
import scala.collection.immutable.Map as ScalaMap

/**
 * The Spark data source `dataverse` (DataSource V2): partitioned reads and exactly-once bulk writes of one Dataverse
 * table, within a job-wide concurrency budget; and, as a streaming source, the table's changes (change tracking).
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
public class DataverseDataSource : TableProvider, DataSourceRegister, StreamSourceProvider {
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
        return DataverseTable(schema, parsed, TableSchema.load(parsed), properties.toMap())
    }

    /** A user-given schema (or the DataFrame's, when writing) is used as given, checked against the table's columns. */
    override fun supportsExternalMetadata(): Boolean = true

    /**
     * The schema of `spark.readStream.format("dataverse")`: the table's fields (or the user's), then the boolean
     * `_deleted`. See the README section "Streaming: change tracking".
     */
    override fun sourceSchema(
        sqlContext: SQLContext,
        schema: Option<StructType>,
        providerName: String,
        parameters: ScalaMap<String, String>,
    ): Tuple2<String, StructType> {
        val parsed = ConnectorOptions.parse(CollectionConverters.asJava(parameters))
        return Tuple2(SHORT_NAME, StreamSchema.of(parsed, TableSchema.load(parsed), schema.getOrElse { null }).schema)
    }

    /** The change stream of the table: micro-batches of its created, updated and deleted records, resumable from Spark's checkpoint. */
    override fun createSource(
        sqlContext: SQLContext,
        metadataPath: String,
        schema: Option<StructType>,
        providerName: String,
        parameters: ScalaMap<String, String>,
    ): Source {
        val parsed = ConnectorOptions.parse(CollectionConverters.asJava(parameters))
        val stream = StreamSchema.of(parsed, TableSchema.load(parsed), schema.getOrElse { null })
        return ChangeSource(sqlContext.sparkSession() as ClassicSparkSession, metadataPath, parsed, stream)
    }

    /** Constants. */
    public companion object {
        /** The format name, `dataverse`. */
        public const val SHORT_NAME: String = "dataverse"
    }
}
