package dev.dataverse.internal.files

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.Closeable

/**
 * Opens a stream or channel with [open] on [Dispatchers.IO]. `withContext` discards its block's result when the caller
 * is cancelled as the block returns, so a plain `withContext(Dispatchers.IO) { open() }` would leak the file handle
 * then; this closes it instead.
 */
internal suspend fun <T : Closeable> openOnIo(open: () -> T): T {
    var opened: T? = null
    try {
        return withContext(Dispatchers.IO) { open().also { opened = it } }
    } catch (e: Throwable) {
        opened?.let { runCatching { it.close() }.exceptionOrNull()?.let(e::addSuppressed) }
        throw e
    }
}
