package dev.dataverse.transport

import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/**
 * Accepts connections on [server] on a daemon thread until it closes, counts them in [connections], keeps them in
 * [sockets] (for closing) and hands each with its number, from 1, to [onConnection] on the acceptor thread.
 */
internal fun acceptConnections(
    server: ServerSocket,
    name: String,
    connections: AtomicInteger,
    sockets: CopyOnWriteArrayList<Socket>,
    onConnection: (Socket, Int) -> Unit,
) {
    daemon(name) {
        while (!server.isClosed) {
            val socket = runCatching { server.accept() }.getOrNull() ?: break
            sockets += socket
            onConnection(socket, connections.incrementAndGet())
        }
    }
}

/** Starts [block] on a new daemon thread named [name]. */
internal fun daemon(name: String, block: () -> Unit): Thread = Thread(block, name).apply {
    isDaemon = true
    start()
}
