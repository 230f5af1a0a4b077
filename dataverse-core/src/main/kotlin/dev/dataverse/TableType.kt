package dev.dataverse

/**
 * How a table stores its records (`EntityMetadata.TableType`), chosen when the table is created and fixed afterwards.
 *
 * Learn: "Create elastic tables using code" (the `TableType` property; a table created without it is `Standard`) and
 * "Elastic tables" (what differs).
 */
public enum class TableType {
    /** A relational table: transactions across records, `$batch` change sets, every column type. */
    STANDARD,

    /**
     * A table stored in Azure Cosmos DB that scales horizontally. Records are identified by primary id and partition
     * ([RecordKey.partitioned]); bulk operations may partly succeed and use `DeleteMultiple`; `$count` stops at 500; no
     * multi-record transactions, many-to-many relationships, money, file, image or multi-select choice columns.
     */
    ELASTIC,

    /**
     * Any other type the service reports (such as `Virtual`), which this library does not treat specially. Only read
     * from metadata: [TableSpec] refuses it.
     */
    OTHER,
}
