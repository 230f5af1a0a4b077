package dev.dataverse.transport

import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** A loopback TCP proxy to [targetPort] that counts the connections clients open through it. */
class CountingProxy(private val targetPort: Int) : AutoCloseable {
    private val server = ServerSocket(0, 200, InetAddress.getLoopbackAddress())
    private val sockets = CopyOnWriteArrayList<Socket>()
    val connections = AtomicInteger()
    val port: Int get() = server.localPort

    init {
        acceptConnections(server, "counting-proxy", connections, sockets) { client, _ ->
            val upstream = Socket(InetAddress.getLoopbackAddress(), targetPort)
            sockets += upstream
            pump(client, upstream)
            pump(upstream, client)
        }
    }

    private fun pump(from: Socket, to: Socket) = daemon("counting-proxy-pump") {
        runCatching { from.getInputStream().transferTo(to.getOutputStream()) }
        runCatching { to.shutdownOutput() }
    }

    override fun close() {
        server.close()
        sockets.forEach { runCatching { it.close() } }
    }
}
