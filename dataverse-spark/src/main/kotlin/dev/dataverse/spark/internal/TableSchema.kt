package dev.dataverse.spark.internal

import dev.dataverse.ColumnInfo
import dev.dataverse.RelationshipInfo
import dev.dataverse.TableType
import kotlinx.coroutines.runBlocking

/** A table's metadata as the driver read it once per query: primary id, columns and (for writes) relationships. */
internal class TableSchema(
    val table: String,
    val primaryId: String,
    val columns: List<ColumnInfo>,
    private val loadRelationships: () -> List<RelationshipInfo>,
    val tableType: TableType = TableType.STANDARD,
    val changeTrackingEnabled: Boolean = false,
) {
    val relationships: List<RelationshipInfo> by lazy { loadRelationships() }

    companion object {
        /** Reads the metadata through the driver's shared client (application user 0). */
        fun load(options: ConnectorOptions): TableSchema = ClientCache.use(options.connection, 0) { client ->
            runBlocking {
                val info = client.tables.get(options.table)
                TableSchema(
                    options.table, info.primaryIdAttribute, client.tables.columns(options.table),
                    { ClientCache.use(options.connection, 0) { again -> runBlocking { again.tables.relationships(options.table) } } },
                    info.tableType, info.changeTrackingEnabled,
                )
            }
        }
    }
}
