package dev.dataverse.java.internal

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.launch
import java.util.Spliterator
import java.util.Spliterators
import java.util.stream.Stream
import java.util.stream.StreamSupport

/**
 * A lazy blocking [Stream] over a cold [Flow]: the flow is collected in [scope] into a small channel, so it runs at most
 * [PREFETCH] elements ahead of the stream's consumer (a next page is requested only when the consumer is that close to
 * the end of the current one). A pull that finds an element waiting takes it without blocking; otherwise it waits
 * through [blocking], so an interrupt cancels it like any other blocking call. Closing the stream cancels the
 * collection. An error of the flow is thrown from the pull that meets it.
 */
internal fun <T : Any> Flow<T>.asBlockingStream(scope: CoroutineScope): Stream<T> {
    val channel = Channel<T>(PREFETCH)
    val producer = scope.launch(start = kotlinx.coroutines.CoroutineStart.LAZY) {
        try {
            collect { channel.send(it) }
            channel.close()
        } catch (e: kotlin.coroutines.cancellation.CancellationException) {
            channel.close(e)
            throw e
        } catch (e: Throwable) {
            channel.close(e) // the consumer rethrows it; rethrowing here too would report it twice, as uncaught
        }
    }
    val iterator = object : Iterator<T> {
        private var next: ChannelResult<T>? = null

        override fun hasNext(): Boolean {
            val result = next ?: channel.tryReceive().takeIf { it.isSuccess } ?: blocking {
                producer.start()
                channel.receiveCatching()
            }
            next = result
            result.exceptionOrNull()?.let { next = null; throw it }
            return result.isSuccess
        }

        override fun next(): T {
            if (!hasNext()) throw NoSuchElementException()
            return next!!.getOrThrow().also { next = null }
        }
    }
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED or Spliterator.NONNULL), false)
        .onClose { producer.cancel() }
}

/** How far a stream's collection may run ahead of its consumer: small, so memory stays flat and laziness holds. */
private const val PREFETCH = 64
