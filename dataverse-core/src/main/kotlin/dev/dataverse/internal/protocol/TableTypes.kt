package dev.dataverse.internal.protocol

import dev.dataverse.Page
import dev.dataverse.TableType

/** The wire names of [TableType] and the limits that differ for elastic tables. */
internal object TableTypes {
    /** `$count` of an elastic table stops at 500 (WIRE.md §3; Learn: count-rows). */
    const val ELASTIC_COUNT_LIMIT: Long = 500

    /**
     * Whether a count is at the service's cap: the `totalrecordcountlimitexceeded` annotation, or for an elastic table a
     * count of [ELASTIC_COUNT_LIMIT] or more. Learn documents the 500 cap for elastic tables but not whether the annotation
     * reflects it, so a count at the cap is reported capped (a table holding exactly 500 matching rows reads as "500 or more").
     */
    fun countCapped(count: Long?, limitExceeded: Boolean, tableType: TableType): Boolean =
        limitExceeded || (tableType == TableType.ELASTIC && count != null && count >= ELASTIC_COUNT_LIMIT)

    /** [page] with [Page.totalCountLimitExceeded] set as [countCapped] says. */
    fun capped(page: Page, tableType: TableType): Page =
        if (page.totalCountLimitExceeded || !countCapped(page.totalCount, false, tableType)) page
        else Page(page.records, page.continuationToken, page.totalCount, true)

    /** A missing `TableType` is `Standard`: the service's default, and what older metadata without the property means. */
    fun parse(value: String?): TableType = when {
        value == null || value.equals("Standard", ignoreCase = true) -> TableType.STANDARD
        value.equals("Elastic", ignoreCase = true) -> TableType.ELASTIC
        else -> TableType.OTHER
    }

    fun wireName(type: TableType): String = when (type) {
        TableType.STANDARD -> "Standard"
        TableType.ELASTIC -> "Elastic"
        TableType.OTHER -> throw dev.dataverse.InvalidInputException("TableType.OTHER only describes tables read from metadata; create STANDARD or ELASTIC tables.")
    }
}
