package dev.dataverse.java.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.RecordKey
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runInterruptible
import java.util.Spliterator
import java.util.UUID
import java.util.stream.Stream

/**
 * Adapts a Java [Stream] to the core's lazily read `Flow` input of a bulk operation, without materialising it.
 *
 * Elements are read on an I/O thread (a stream may block: a file, a database cursor), never on the thread running the
 * bulk operation's coroutines, so chunks already handed over keep being sent while the next ones are read. They are read
 * in runs of [chunkSize], the core's chunk size: the next run is read only after the core has taken the last element of
 * the previous one, which it does only once it may send that chunk. So reading never gets ahead of the core, which holds
 * at most `maxParallelism + 1` chunks.
 *
 * A `null` element fails the collection with [InvalidInputException] naming its position, as the core does for a `null`
 * element of a `List`. The caller closes the stream.
 */
internal fun <T : Any> Stream<out T>.asBulkInput(chunkSize: Int): Flow<T> {
    val stream = this
    return flow {
        val source: Spliterator<out T> = stream.spliterator()
        var position = 0
        while (true) {
            val run = ArrayList<T?>(chunkSize)
            runInterruptible(Dispatchers.IO) {
                while (run.size < chunkSize && source.tryAdvance { run.add(it) }) Unit
            }
            for (element in run) {
                emit(element ?: throw InvalidInputException("Input #$position of the bulk operation is null."))
                position++
            }
            if (run.size < chunkSize) break
        }
    }
}

/** [this] ids as primary-id keys; a `null` id fails with [InvalidInputException] naming its position, before anything is sent. */
internal fun Collection<UUID>.toRecordKeys(): List<RecordKey> = mapIndexed { position, id: UUID? ->
    RecordKey.id(id ?: throw InvalidInputException("'ids' cannot hold null, but position $position does."))
}
