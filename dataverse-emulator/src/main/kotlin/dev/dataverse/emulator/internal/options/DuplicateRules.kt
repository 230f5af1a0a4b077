package dev.dataverse.emulator.internal.options

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.store.StoredRecord
import java.util.Locale
import java.util.concurrent.ConcurrentHashMap

/**
 * Duplicate-detection rules: a table and the columns whose equal values make two records duplicates (strings compared
 * case-insensitively, blanks never match), checked on creates and updates that ask for detection with
 * `MSCRM.SuppressDuplicateDetection: false`. The service evaluates published duplicate rules; an emulator starts with none
 * and tests register the rules they need.
 */
internal class DuplicateRules {
    private val rules = ConcurrentHashMap<String, List<List<String>>>()

    fun add(table: String, columns: List<String>) {
        require(columns.isNotEmpty()) { "A duplicate rule needs at least one column." }
        rules.merge(table.lowercase(Locale.ROOT), listOf(columns.map { it.lowercase(Locale.ROOT) })) { old, new -> old + new }
    }

    fun clear() = rules.clear()

    /** Throws the service's duplicate error when [record] matches another record of [others] under a rule of [table]. */
    fun check(table: TableDefinition, record: StoredRecord, others: Sequence<StoredRecord>) {
        val tableRules = rules[table.logicalName] ?: return
        for (columns in tableRules) {
            val values = columns.map { normalized(record.values[it]) }
            if (values.any { it == null }) continue
            if (others.any { it.id != record.id && columns.map { c -> normalized(it.values[c]) } == values }) throw duplicate()
        }
    }

    private fun normalized(value: Any?): Any? = when (value) {
        null -> null
        is String -> value.trim().lowercase(Locale.ROOT).takeIf { it.isNotEmpty() }
        else -> value
    }

    companion object {
        /**
         * Learn ("Detect duplicate data using the Web API"): a duplicate found answers 500 with DuplicateRecord,
         * 0x80040333. Other Learn pages list 412 for duplicates; where they disagree the emulator follows this Web API
         * page, and the client goes by the code.
         */
        fun duplicate(): ApiException = ApiException(
            500, "0x80040333", "A record was not created or updated because a duplicate of the current record already exists.",
        )
    }
}
