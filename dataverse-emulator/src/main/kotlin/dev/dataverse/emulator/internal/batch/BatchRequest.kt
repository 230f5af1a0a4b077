package dev.dataverse.emulator.internal.batch

/** One HTTP request inside a `$batch`: its request line, headers and body as sent, and its Content-ID if it has one. */
internal class BatchOperation(
    val method: String,
    /** The request URL as written: absolute, server-relative, relative to the API root, or a `$n` reference. */
    val url: String,
    val headers: List<Pair<String, String>>,
    val body: ByteArray,
    val contentId: String?,
)

/** A top-level entry of a `$batch`: a lone request, or a change set whose requests succeed or fail together. */
internal sealed interface BatchEntry {
    val operations: List<BatchOperation>

    class Single(val operation: BatchOperation) : BatchEntry {
        override val operations: List<BatchOperation> get() = listOf(operation)
    }

    class ChangeSet(override val operations: List<BatchOperation>) : BatchEntry
}
