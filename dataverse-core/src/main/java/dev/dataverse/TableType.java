package dev.dataverse;

/**
 * How a table stores its records ({@code EntityMetadata.TableType}), chosen when the table is created and fixed afterwards.
 *
 * <p>Learn: "Create elastic tables using code" (the {@code TableType} property; a table created without it is {@code Standard}) and
 * "Elastic tables" (what differs).
 */
public enum TableType {
    /** A relational table: transactions across records, {@code $batch} change sets, every column type. */
    STANDARD,

    /**
     * A table stored in Azure Cosmos DB that scales horizontally. Records are identified by primary id and partition
     * ({@link RecordKey#partitioned}); bulk operations may partly succeed and use {@code DeleteMultiple}; {@code $count} stops at 500; no
     * multi-record transactions, many-to-many relationships, money, file, image or multi-select choice columns.
     */
    ELASTIC,

    /**
     * Any other type the service reports (such as {@code Virtual}), which this library does not treat specially. Only read
     * from metadata: {@link TableSpec} refuses it.
     */
    OTHER;
}
