package dev.dataverse.internal

import dev.dataverse.BatchReference
import dev.dataverse.ChangeSetBuilder
import dev.dataverse.MessageRequest
import dev.dataverse.RecordKey
import dev.dataverse.RequestOptions
import dev.dataverse.RetrieveOptions

/** One entry of a batch as sent: a single operation, or the operations of one change set. */
internal class RequestEntry(val operations: List<BatchOperation>, val isChangeSet: Boolean)

/** One operation of a batch, as the builder recorded it. */
internal class BatchOperation(
    val index: Int,
    val method: String,
    val table: String,
    val key: RecordKey?,
    val target: BatchReference?,
    val values: Map<String, Any?>?,
    val headers: List<Pair<String, String>>,
    val retrieve: RetrieveOptions?,
    val changeSet: ChangeSetBuilder?,
    val reference: BatchReference,
    /** The message this operation calls; `null` for record operations. */
    val message: MessageRequest? = null,
    /** The options of this operation's part, over the client's. */
    val options: RequestOptions? = null,
)

/** An entry while the batch is being built: a change set still collecting operations, or a [single] operation. */
internal class RequestEntryBuilder(val changeSet: ChangeSetBuilder?, val single: BatchOperation? = null)
