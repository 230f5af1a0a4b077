package dev.dataverse.spark.internal

import org.apache.spark.sql.connector.catalog.SupportsRead
import org.apache.spark.sql.connector.catalog.SupportsWrite
import org.apache.spark.sql.connector.catalog.TableCapability
import org.apache.spark.sql.connector.read.ScanBuilder
import org.apache.spark.sql.connector.write.LogicalWriteInfo
import org.apache.spark.sql.connector.write.Write
import org.apache.spark.sql.connector.write.WriteBuilder
import org.apache.spark.sql.types.StructType
import org.apache.spark.sql.util.CaseInsensitiveStringMap

/**
 * One Dataverse table as Spark sees it: readable in batches, writable in batches (append only: nothing is truncated).
 * Options given to one read or write (of a catalog's table: `spark.read.option(...).table(...)`) apply on top of
 * [rawOptions], the table's own.
 */
internal class DataverseTable(
    private val schema: StructType,
    private val options: ConnectorOptions,
    private val metadata: TableSchema,
    private val rawOptions: Map<String, String>,
) : SupportsRead, SupportsWrite {
    override fun name(): String = "dataverse:${options.table}"

    @Deprecated("Spark's own deprecation; columns() is derived from it")
    override fun schema(): StructType = schema

    override fun capabilities(): MutableSet<TableCapability> =
        mutableSetOf(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE)

    override fun newScanBuilder(scanOptions: CaseInsensitiveStringMap): ScanBuilder = DataverseScanBuilder(schema, with(scanOptions), metadata)

    override fun newWriteBuilder(info: LogicalWriteInfo): WriteBuilder = object : WriteBuilder {
        override fun build(): Write = DataverseWrite(info, with(info.options()), metadata)
    }

    /** The table's options with [extra] on top; the same options when [extra] adds nothing (the format passes them again). */
    private fun with(extra: CaseInsensitiveStringMap): ConnectorOptions {
        val added = extra.asCaseSensitiveMap().filter { (key, value) -> rawOptions.entries.none { it.key.equals(key, ignoreCase = true) && it.value == value } }
        if (added.isEmpty()) return options
        val merged = rawOptions.filterKeys { key -> added.keys.none { it.equals(key, ignoreCase = true) } } + added
        return ConnectorOptions.parse(merged, options.catalogTable)
    }
}
