package dev.dataverse.benchmarks

import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.BlockingQueue
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport
import kotlin.system.exitProcess

/**
 * A TCP relay on loopback that delays every byte by [oneWayMillis] in each direction, to give loopback benchmarks the
 * round-trip time of a real network (20 ms RTT for 10 ms each way), so that what a connection costs (TCP and TLS
 * handshakes, one round trip each at least) shows in the latency per call as it would against the service.
 *
 * New connections pay one round trip before their first byte is forwarded, as a TCP handshake would. Bytes keep their
 * order; nothing is dropped or reordered; bandwidth is not limited. It serves at most [maxConnections] connections at a
 * time (more are closed at once) and listens on 127.0.0.1 only, relaying to a loopback [upstreamPort].
 */
class DelayProxy(private val upstreamPort: Int, private val oneWayMillis: Long, private val maxConnections: Int = 512) : AutoCloseable {
    private val server = ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress())
    private val open = AtomicInteger()
    private val threads = AtomicInteger()

    val port: Int get() = server.localPort

    fun start(): DelayProxy = apply { daemon("delay-proxy-accept") { accept() } }

    private fun accept() {
        while (!server.isClosed) {
            val client = try {
                server.accept()
            } catch (e: IOException) {
                continue
            }
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet()
                client.close()
                continue
            }
            daemon("delay-proxy-${threads.incrementAndGet()}") { relay(client) }
        }
    }

    private fun relay(client: Socket) {
        val upstream = Socket()
        try {
            client.tcpNoDelay = true
            // The TCP handshake's round trip, paid before the first byte goes through.
            Thread.sleep(2 * oneWayMillis)
            upstream.tcpNoDelay = true
            upstream.connect(InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort))
            val back = daemon("${Thread.currentThread().name}-back") { direction(upstream.getInputStream(), client.getOutputStream(), client) }
            direction(client.getInputStream(), upstream.getOutputStream(), upstream)
            back.join()
        } catch (e: IOException) {
            // The upstream refused or a side reset: the connection just ends.
        } finally {
            client.close()
            upstream.close()
            open.decrementAndGet()
        }
    }

    /** Reads [input] on a helper thread, stamping each chunk with its due time; writes chunks to [output] when due. */
    private fun direction(input: InputStream, output: OutputStream, target: Socket) {
        val queue: BlockingQueue<Chunk> = ArrayBlockingQueue(QUEUE_CHUNKS)
        val reader = daemon("${Thread.currentThread().name}-read") {
            try {
                val buffer = ByteArray(CHUNK_BYTES)
                while (true) {
                    val read = input.read(buffer)
                    if (read < 0) break
                    queue.put(Chunk(buffer.copyOf(read), System.nanoTime() + oneWayMillis * 1_000_000))
                }
            } catch (e: IOException) {
                // The connection ended.
            }
            queue.put(Chunk(null, System.nanoTime() + oneWayMillis * 1_000_000))
        }
        try {
            while (true) {
                val chunk = queue.take()
                var wait = chunk.dueNanos - System.nanoTime()
                while (wait > 0) {
                    LockSupport.parkNanos(wait)
                    wait = chunk.dueNanos - System.nanoTime()
                }
                val bytes = chunk.bytes ?: break
                output.write(bytes)
                output.flush()
            }
            target.shutdownOutput()
        } catch (e: IOException) {
            target.close()
        }
        reader.join()
    }

    override fun close() = server.close()

    private class Chunk(val bytes: ByteArray?, val dueNanos: Long)

    private fun daemon(name: String, body: () -> Unit): Thread = Thread(body, name).apply {
        isDaemon = true
        start()
    }

    private companion object {
        const val BACKLOG = 256
        const val CHUNK_BYTES = 16 * 1024
        const val QUEUE_CHUNKS = 256
    }
}

/**
 * Runs a [DelayProxy] as its own process, so its CPU is not counted as the client's:
 * `DelayProxyMain <upstreamPort> <oneWayMillis>`; prints its port when ready and relays until killed.
 */
object DelayProxyMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val upstream = args.getOrNull(0)?.toIntOrNull()
        val delay = args.getOrNull(1)?.toLongOrNull()
        if (upstream == null || delay == null || delay !in 0..1000) {
            System.err.println("Usage: DelayProxyMain <upstreamPort> <oneWayMillis 0..1000>")
            exitProcess(2)
        }
        val proxy = DelayProxy(upstream, delay).start()
        println(proxy.port)
        System.out.flush()
        Thread.currentThread().join()
    }
}
