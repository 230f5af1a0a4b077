package dev.dataverse.internal.transport.cio

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.ktor.network.selector.SelectorManager
import io.ktor.network.sockets.aSocket
import io.ktor.network.sockets.openReadChannel
import io.ktor.network.sockets.openWriteChannel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.SocketTimeoutException
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport
import kotlin.concurrent.thread
import kotlin.random.Random

/**
 * The keep-alive pool of `HttpEngine.CIO` on its own, with real loopback connections: idle connections go away without
 * a further call when their server closes them or when they have been idle too long, a take racing with those evictions
 * never gets a closed connection, and closing the pool closes what it holds. Nothing is timed: closes are waited for
 * with a generous limit that only guards against a hang.
 */
class Http1PoolSpec : FunSpec({
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    val peer = LoopbackPeer()
    afterSpec {
        peer.close()
        scope.cancel()
    }

    test("a connection its server closes while idle is closed without any further call") {
        Http1Pool(4, HOUR, scope).use { pool ->
            val (connection, serverSide) = peer.connect()
            pool.put(connection)
            pool.size shouldBe 1
            serverSide.close()
            waitUntil("the pool closes the connection its server closed") { connection.isClosed }
            pool.size shouldBe 0
            pool.take(connection.origin).shouldBeNull()
        }
    }

    test("a connection idle longer than the idle timeout is closed without any further call, and its server sees the close") {
        Http1Pool(4, 200 * MILLIS, scope).use { pool ->
            val (connection, serverSide) = peer.connect()
            pool.put(connection)
            waitUntil("the pool closes the connection idle past its timeout") { connection.isClosed }
            pool.size shouldBe 0
            waitUntil("the server reads the end of the stream") { peer.sawEndOfStream(serverSide) }
        }
    }

    test("a connection still within its idle timeout and open at both ends stays in the pool and is handed out") {
        Http1Pool(4, HOUR, scope, checkIntervalNanos = 10 * MILLIS).use { pool ->
            val (connection, serverSide) = peer.connect()
            pool.put(connection)
            // Many looks of the sweeper: none may take an open connection within its timeout.
            delay(200)
            pool.size shouldBe 1
            val taken = pool.take(connection.origin)
            (taken === connection).shouldBeTrue()
            connection.isClosed.shouldBeFalse()
            peer.sawEndOfStream(serverSide).shouldBeFalse()
            connection.close()
        }
    }

    test("a take racing with evictions never gets a closed connection, nor has one closed while it holds it") {
        // Each worker returns its connection, waits about as long as the idle timeout, then takes one again: takes land
        // around the deadlines, where the sweeper wakes to evict (it waits for the earliest deadline).
        Http1Pool(16, IDLE_IN_RACE, scope, checkIntervalNanos = MILLIS).use { pool ->
            val handedOut = AtomicInteger()
            val opened = AtomicInteger()
            val failures = CopyOnWriteArrayList<String>()
            val workers = (1..4).map { worker ->
                thread(name = "pool-race-$worker") {
                    val random = Random(worker)
                    runBlocking {
                        repeat(400) { round ->
                            val connection = pool.take(peer.origin)?.also { handedOut.incrementAndGet() }
                                ?: peer.connect().first.also { opened.incrementAndGet() }
                            if (connection.isClosed) failures += "worker $worker, round $round: handed out a closed connection"
                            LockSupport.parkNanos(random.nextLong(IDLE_IN_RACE))
                            if (connection.isClosed) failures += "worker $worker, round $round: closed while held"
                            pool.put(connection)
                            LockSupport.parkNanos(random.nextLong(IDLE_IN_RACE / 2, IDLE_IN_RACE * 3 / 2))
                        }
                    }
                }
            }
            workers.forEach { it.join(TimeUnit.MINUTES.toMillis(5)) }
            waitUntil("the pool closes every connection left once they expire") { pool.size == 0 }
            failures shouldBe emptyList()
            withClue("connections handed out from the pool") { handedOut.get() shouldBeGreaterThan 0 }
            // A connection is opened only when none was idle: some must have been evicted for the race to have run.
            withClue("connections opened beyond one per worker (evictions happened)") { opened.get() shouldBeGreaterThan 4 }
        }
    }

    test("closing the pool closes its idle connections, and one returned afterwards") {
        val pool = Http1Pool(8, HOUR, scope)
        val connections = (1..3).map { peer.connect() }
        connections.forEach { pool.put(it.first) }
        pool.size shouldBe 3
        pool.close()
        connections.forEach { (connection, serverSide) ->
            connection.isClosed.shouldBeTrue()
            waitUntil("the server reads the end of the stream") { peer.sawEndOfStream(serverSide) }
        }
        pool.size shouldBe 0
        val (late, _) = peer.connect()
        pool.put(late)
        late.isClosed.shouldBeTrue()
        pool.size shouldBe 0
    }

    test("a full pool closes the connection returned to it, unless an idle one has expired to make room") {
        Http1Pool(1, HOUR, scope).use { pool ->
            val (first, _) = peer.connect()
            val (second, _) = peer.connect()
            pool.put(first)
            pool.put(second)
            second.isClosed.shouldBeTrue()
            first.isClosed.shouldBeFalse()
            pool.size shouldBe 1
        }
    }
})

private const val MILLIS = 1_000_000L
private const val HOUR = 3_600_000 * MILLIS
private const val IDLE_IN_RACE = 2 * MILLIS

/** Polls [condition] until it holds, for at most a minute: a guard against a hang, not a timing assertion. */
internal suspend fun waitUntil(what: String, condition: () -> Boolean) {
    repeat(3000) {
        if (condition()) return
        delay(20)
    }
    throw AssertionError("$what: not within a minute")
}

/** A loopback server that accepts connections and holds them, and Ktor connections to it as [CioWireTransport] makes them. */
private class LoopbackPeer : AutoCloseable {
    private val server = ServerSocket(0, 100, InetAddress.getLoopbackAddress())
    private val accepted = LinkedBlockingQueue<Socket>()
    private val all = CopyOnWriteArrayList<Socket>()
    private val pairs = CopyOnWriteArrayList<Pair<Http1Connection, Socket>>()
    private val selector = SelectorManager(Dispatchers.IO)
    val origin = "http://127.0.0.1:${server.localPort}"

    init {
        thread(isDaemon = true, name = "pool-peer") {
            while (!server.isClosed) {
                val socket = runCatching { server.accept() }.getOrNull() ?: break
                all += socket
                accepted += socket
            }
        }
    }

    /** A new connection, and the server's end of it. Closes the server's end of the connections the client closed. */
    suspend fun connect(): Pair<Http1Connection, Socket> {
        pairs.removeIf { (client, serverSide) -> client.isClosed.also { if (it) serverSide.close() } }
        val socket = aSocket(selector).tcp().connect("127.0.0.1", server.localPort)
        val connection = Http1Connection(socket, socket.openReadChannel(), socket.openWriteChannel(autoFlush = false), origin)
        val serverSide = accepted.poll(1, TimeUnit.MINUTES) ?: error("The server accepted no connection")
        pairs += connection to serverSide
        return connection to serverSide
    }

    /** Whether the client closed [serverSide]'s connection: a read there meets the end of the stream. */
    fun sawEndOfStream(serverSide: Socket): Boolean {
        serverSide.soTimeout = 10
        return try {
            serverSide.getInputStream().read() == -1
        } catch (_: SocketTimeoutException) {
            false
        }
    }

    override fun close() {
        server.close()
        all.forEach { runCatching { it.close() } }
        selector.close()
    }
}
