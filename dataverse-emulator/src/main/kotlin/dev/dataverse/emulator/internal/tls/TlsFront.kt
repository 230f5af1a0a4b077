package dev.dataverse.emulator.internal.tls

import dev.dataverse.emulator.EmulatorStats
import org.slf4j.LoggerFactory
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.Socket
import java.net.SocketException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLServerSocket
import javax.net.ssl.SSLSocket

/**
 * Terminates TLS in front of the emulator's plain-http server. The engine (Ktor's Netty server) could serve https itself,
 * but this front keeps the TLS side independent of it: it listens on the emulator's public port, counts every accepted
 * connection and every completed handshake in [stats] with plain JDK sockets, and relays each connection's bytes to its own connection to the server's loopback port, so one
 * client connection is one server connection: keep-alive, `Connection: close` and dropped connections behave as over
 * http. Each connection takes two threads while open, which is cheap next to the handshake for an emulator's load.
 *
 * No ALPN protocol is offered, so clients speak HTTP/1.1 over it (an HTTP/2-capable client falls back).
 */
internal class TlsFront(
    private val context: SSLContext,
    private val stats: EmulatorStats,
) {
    @Volatile
    private var backendPort: Int = 0

    private val live: MutableSet<Socket> = ConcurrentHashMap.newKeySet()
    private val ids = AtomicLong()

    @Volatile
    private var server: SSLServerSocket? = null

    /** Binds [port] on [host] (0 = a free port), relays to [backendPort] on loopback and returns the bound port. */
    fun start(host: String, port: Int, backendPort: Int): Int {
        this.backendPort = backendPort
        val socket = context.serverSocketFactory.createServerSocket() as SSLServerSocket
        try {
            socket.reuseAddress = false
            socket.bind(InetSocketAddress(InetAddress.getByName(host), port), BACKLOG)
        } catch (e: IOException) {
            socket.close()
            throw e
        }
        server = socket
        thread("dataverse-emulator-tls-accept") { accept(socket) }
        return socket.localPort
    }

    /** Stops accepting and closes every open connection. */
    fun stop() {
        server?.close()
        live.toList().forEach(::closeQuietly)
        live.clear()
    }

    private fun accept(server: SSLServerSocket) {
        while (!server.isClosed) {
            val client = try {
                server.accept() as SSLSocket
            } catch (e: IOException) {
                if (server.isClosed) break
                logger.warn("Accepting a TLS connection failed", e)
                // A failure that lasts (e.g. out of file descriptors) must not turn this loop into a busy spin.
                Thread.sleep(ACCEPT_RETRY_MILLIS)
                continue
            }
            stats.connectionAccepted()
            live += client
            thread("dataverse-emulator-tls-${ids.incrementAndGet()}") { serve(client) }
        }
    }

    /** Completes the handshake, then relays both directions until either side closes. */
    private fun serve(client: SSLSocket) {
        val backend = Socket()
        try {
            client.tcpNoDelay = true
            client.soTimeout = HANDSHAKE_TIMEOUT_MILLIS
            client.startHandshake()
            client.soTimeout = 0
            stats.tlsHandshakeCompleted()
            live += backend
            backend.tcpNoDelay = true
            backend.connect(InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort))
            val toClient = thread("${Thread.currentThread().name}-out") { relay(backend.getInputStream(), client.getOutputStream(), client, backend) }
            relay(client.getInputStream(), backend.getOutputStream(), client, backend)
            toClient.join()
        } catch (e: IOException) {
            // A client that does not trust the certificate aborts the handshake: expected, and visible in tlsHandshakes.
            logger.debug("TLS connection from {} ended: {}", client.remoteSocketAddress, e.toString())
        } finally {
            closeQuietly(client)
            closeQuietly(backend)
            live -= client
            live -= backend
        }
    }

    /** Copies [input] to [output] until the end or an error, then closes both connections so the other direction ends too. */
    private fun relay(input: InputStream, output: OutputStream, client: Socket, backend: Socket) {
        val buffer = ByteArray(BUFFER_BYTES)
        try {
            while (true) {
                val read = input.read(buffer)
                if (read < 0) break
                output.write(buffer, 0, read)
                output.flush()
            }
        } catch (e: SocketException) {
            logger.trace("Relay ended", e)
        } catch (e: IOException) {
            logger.trace("Relay ended", e)
        } finally {
            closeQuietly(client)
            closeQuietly(backend)
        }
    }

    private fun closeQuietly(socket: Socket) {
        try {
            socket.close()
        } catch (e: IOException) {
            logger.trace("Closing a socket failed", e)
        }
    }

    private fun thread(name: String, body: () -> Unit): Thread =
        Thread(body, name).apply {
            isDaemon = true
            start()
        }

    private companion object {
        const val BACKLOG = 128
        const val ACCEPT_RETRY_MILLIS = 50L
        const val HANDSHAKE_TIMEOUT_MILLIS = 10_000
        const val BUFFER_BYTES = 16 * 1024
        val logger = LoggerFactory.getLogger(TlsFront::class.java)
    }
}
