package dev.dataverse.integration

import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient

/** File and image columns added to `account` through [dev.dataverse.Tables.addColumn], for the file integration specs. */
object TestFileColumns {
    /** A file column that takes 64 MB. */
    const val DOCUMENT: String = "new_document"

    /** A file column that takes 64 KB. */
    const val SMALL: String = "new_small"

    /** An image column that takes 1 MB. */
    const val PICTURE: String = "new_picture"

    suspend fun addTo(client: DataverseClient) {
        client.tables.addColumn("account", ColumnSpec.file("new_Document", "Document", maxSizeInKB = 65_536))
        client.tables.addColumn("account", ColumnSpec.file("new_Small", "Small", maxSizeInKB = 64))
        client.tables.addColumn("account", ColumnSpec.image("new_Picture", "Picture", maxSizeInKB = 1024))
    }
}
