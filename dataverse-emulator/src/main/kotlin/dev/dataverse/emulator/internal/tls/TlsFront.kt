package dev.dataverse.emulator.internal.tls

import dev.dataverse.emulator.EmulatorStats
import io.netty.bootstrap.Bootstrap
import io.netty.bootstrap.ServerBootstrap
import io.netty.buffer.Unpooled
import io.netty.channel.Channel
import io.netty.channel.ChannelFutureListener
import io.netty.channel.ChannelHandlerContext
import io.netty.channel.ChannelInboundHandlerAdapter
import io.netty.channel.ChannelInitializer
import io.netty.channel.ChannelOption
import io.netty.channel.EventLoopGroup
import io.netty.channel.group.DefaultChannelGroup
import io.netty.channel.nio.NioEventLoopGroup
import io.netty.channel.socket.SocketChannel
import io.netty.channel.socket.nio.NioServerSocketChannel
import io.netty.channel.socket.nio.NioSocketChannel
import io.netty.handler.ssl.SslHandler
import io.netty.handler.ssl.SslHandshakeCompletionEvent
import io.netty.util.ReferenceCountUtil
import io.netty.util.concurrent.DefaultThreadFactory
import io.netty.util.concurrent.GlobalEventExecutor
import org.slf4j.LoggerFactory
import java.net.InetAddress
import java.net.InetSocketAddress
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext

/**
 * Terminates TLS in front of the emulator's plain-http server. The engine (Ktor's Netty server) could serve https itself,
 * but this front keeps the TLS side independent of it: it listens on the emulator's public port, counts every accepted
 * connection and every completed handshake in [stats], and relays each connection's bytes to its own connection to the
 * server's loopback port, so one client connection is one server connection: keep-alive, `Connection: close` and dropped
 * connections behave as over http.
 *
 * Non-blocking: a few event-loop threads ([THREADS]) serve every connection, relaying one read at a time in each
 * direction (the next read waits until the other side took the last one), so neither the number of connections nor a
 * slow reader costs threads or unbounded buffers. 2,000 open connections cost no thread more than one does.
 *
 * No ALPN protocol is offered, so clients speak HTTP/1.1 over it (an HTTP/2-capable client falls back).
 */
internal class TlsFront(
    private val context: SSLContext,
    private val stats: EmulatorStats,
) {
    @Suppress("DEPRECATION") // NioEventLoopGroup: the API that Netty 4.1 and 4.2 both have.
    private val group: EventLoopGroup = NioEventLoopGroup(THREADS, DefaultThreadFactory("dataverse-emulator-tls", true))
    private val live = DefaultChannelGroup("dataverse-emulator-tls", GlobalEventExecutor.INSTANCE)

    @Volatile
    private var backend: InetSocketAddress? = null

    @Volatile
    private var server: Channel? = null

    /** Binds [port] on [host] (0 = a free port), relays to [backendPort] on loopback and returns the bound port. */
    fun start(host: String, port: Int, backendPort: Int): Int {
        backend = InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort)
        val bootstrap = ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel::class.java)
            .option(ChannelOption.SO_BACKLOG, BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                object : ChannelInitializer<SocketChannel>() {
                    override fun initChannel(channel: SocketChannel) {
                        stats.connectionAccepted()
                        live.add(channel)
                        val engine = context.createSSLEngine().apply { useClientMode = false }
                        val tls = SslHandler(engine).apply { setHandshakeTimeout(HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) }
                        channel.pipeline().addLast("tls", tls).addLast("relay", ClientSide())
                    }
                },
            )
        val bound = bootstrap.bind(InetSocketAddress(InetAddress.getByName(host), port)).awaitUninterruptibly()
        if (!bound.isSuccess) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
            throw bound.cause()
        }
        server = bound.channel()
        return (bound.channel().localAddress() as InetSocketAddress).port
    }

    /** Stops accepting, closes every open connection and stops the threads. */
    fun stop() {
        server?.close()?.awaitUninterruptibly(STOP_TIMEOUT_MILLIS)
        live.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS)
        group.shutdownGracefully(0, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
    }

    /**
     * The client's side: once the handshake completed, opens the connection to the server and relays what the client
     * sends, reading the next piece only once the server took the last. Bytes that arrive with the end of the handshake,
     * before the server connection is open, wait for it.
     */
    private inner class ClientSide : ChannelInboundHandlerAdapter() {
        private var server: Channel? = null
        private val early = ArrayList<Any>()

        /** Reads are requested, not automatic: the first one starts the handshake, which then reads as it needs. */
        override fun channelActive(ctx: ChannelHandlerContext) {
            ctx.read()
            ctx.fireChannelActive()
        }

        override fun userEventTriggered(ctx: ChannelHandlerContext, event: Any) {
            if (event !is SslHandshakeCompletionEvent) {
                ctx.fireUserEventTriggered(event)
                return
            }
            if (!event.isSuccess) {
                // A client that does not trust the certificate aborts the handshake: expected, and visible in tlsHandshakes.
                logger.debug("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), event.cause().toString())
                ctx.close()
                return
            }
            stats.tlsHandshakeCompleted()
            val client = ctx.channel()
            Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel::class.java)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(ServerSide(client))
                .connect(backend)
                .addListener(
                    ChannelFutureListener { connected ->
                        if (!connected.isSuccess) {
                            logger.debug("Connecting to the emulator's server failed", connected.cause())
                            client.close()
                            return@ChannelFutureListener
                        }
                        val opened = connected.channel()
                        live.add(opened)
                        server = opened
                        early.forEach { opened.write(it) }
                        early.clear()
                        opened.flush()
                        client.read()
                    },
                )
        }

        override fun channelRead(ctx: ChannelHandlerContext, message: Any) {
            val target = server
            if (target == null) {
                early += message
                return
            }
            target.writeAndFlush(message).addListener(
                ChannelFutureListener { written -> if (written.isSuccess) ctx.channel().read() else written.channel().close() },
            )
        }

        override fun channelInactive(ctx: ChannelHandlerContext) {
            early.forEach(ReferenceCountUtil::release)
            early.clear()
            server?.let(::closeAfterFlush)
        }

        @Suppress("OVERRIDE_DEPRECATION")
        override fun exceptionCaught(ctx: ChannelHandlerContext, cause: Throwable) {
            logger.debug("TLS connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString())
            closeAfterFlush(ctx.channel())
        }
    }

    /** The server's side of one relayed connection: what the server answers goes to [client], one read at a time. */
    private class ServerSide(private val client: Channel) : ChannelInboundHandlerAdapter() {
        override fun channelActive(ctx: ChannelHandlerContext) {
            ctx.read()
        }

        override fun channelRead(ctx: ChannelHandlerContext, message: Any) {
            client.writeAndFlush(message).addListener(
                ChannelFutureListener { written -> if (written.isSuccess) ctx.channel().read() else ctx.channel().close() },
            )
        }

        override fun channelInactive(ctx: ChannelHandlerContext) {
            closeAfterFlush(client)
        }

        @Suppress("OVERRIDE_DEPRECATION")
        override fun exceptionCaught(ctx: ChannelHandlerContext, cause: Throwable) {
            logger.trace("Relay from the emulator's server ended", cause)
            closeAfterFlush(ctx.channel())
        }
    }

    private companion object {
        const val BACKLOG = 128
        const val HANDSHAKE_TIMEOUT_MILLIS = 10_000L
        const val STOP_TIMEOUT_MILLIS = 2_000L

        /** Event-loop threads for every TLS connection: TLS work is CPU-bound, so one per core (at least two). */
        val THREADS: Int = maxOf(2, Runtime.getRuntime().availableProcessors())
        val logger = LoggerFactory.getLogger(TlsFront::class.java)

        /** Closes [channel] once what was written to it has been sent (for the client, after TLS's close_notify). */
        fun closeAfterFlush(channel: Channel) {
            if (channel.isActive) channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE) else channel.close()
        }
    }
}
