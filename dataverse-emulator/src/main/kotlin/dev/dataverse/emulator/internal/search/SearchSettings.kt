package dev.dataverse.emulator.internal.search

import java.util.Locale

/**
 * Whether Dataverse search is on for the emulated environment (the organization's `isexternalsearchindexenabled`) and
 * which tables it covers (the tables whose `SyncToExternalSearchIndex` is true; Learn: "Search for Dataverse records").
 */
internal class SearchSettings {
    @Volatile
    var enabled: Boolean = true

    /** Logical names of the searchable tables, lower case; null: every table. */
    @Volatile
    var tables: Set<String>? = null
        set(value) {
            field = value?.map { it.trim().lowercase(Locale.ROOT) }?.toSet()
        }

    fun isSearchable(table: String): Boolean = tables?.contains(table) ?: true
}
