package dev.dataverse.emulator.internal.state

import dev.dataverse.emulator.FaultRule
import dev.dataverse.emulator.internal.messages.MessageDefinition
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.store.RecordStore
import java.util.UUID

/**
 * Everything a test can change in an emulator, at one moment: the schema, the records with their versions, deletions and
 * many-to-many links, the files the records refer to (by id; their content is pinned on disk while the image is kept),
 * and the runtime controls (fault rules, concurrency limit, search settings, custom APIs, duplicate rules, solutions and their
 * components). Not in it: the request counters, which a restore restarts, and upload sessions, which it ends. Every part
 * is a copy or immutable, so the image never changes after it is taken.
 */
internal class StateImage(
    val catalog: MetadataCatalog.Image,
    val records: RecordStore.Image,
    val files: Set<UUID>,
    val faults: List<FaultRule>,
    val concurrencyLimit: Int,
    val searchEnabled: Boolean,
    val searchableTables: Set<String>?,
    val customApis: Map<String, MessageDefinition>,
    val duplicateRules: Map<String, List<List<String>>>,
    val solutions: Map<String, List<String>>,
    val solutionNames: List<String>,
) {
    /** The number of records in the image, over every table. */
    val recordCount: Long get() = records.tables.values.sumOf { it.rows.size.toLong() }
}
