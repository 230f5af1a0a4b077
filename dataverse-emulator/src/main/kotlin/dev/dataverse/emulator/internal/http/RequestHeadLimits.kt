package dev.dataverse.emulator.internal.http

import io.netty.buffer.Unpooled
import io.netty.channel.ChannelHandler
import io.netty.channel.ChannelHandlerContext
import io.netty.channel.ChannelInboundHandlerAdapter
import io.netty.channel.socket.SocketChannel
import io.netty.handler.codec.http.DefaultFullHttpResponse
import io.netty.handler.codec.http.HttpHeaderNames
import io.netty.handler.codec.http.HttpHeaderValues
import io.netty.handler.codec.http.HttpRequest
import io.netty.handler.codec.http.HttpResponseStatus
import io.netty.handler.codec.http.HttpVersion
import io.netty.handler.codec.http.TooLongHttpHeaderException
import io.netty.handler.codec.http.TooLongHttpLineException
import io.netty.util.ReferenceCountUtil
import java.util.concurrent.TimeUnit

/**
 * How large a request head may be, and the answers to heads beyond that.
 *
 * The URL limit is documented: "The maximum length of URL accepted is 32 KB (32768 characters)", 64 KB inside `$batch`
 * (Learn: power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors, "Maximum URL length"; also
 * webapi/query/overview, "URL length limitations"). The status the service answers a longer URL with is not documented;
 * 414 (and 431 for headers) is what RFC 9110 §15.5.15 and RFC 6585 §5 give a server, and what web servers send.
 */
internal object RequestHeadLimits {
    /** The longest URL a GET may have, scheme and host included. */
    const val MAX_URL_CHARS: Int = 32_768

    /**
     * What the engine reads of a request line: the longest target plus room for the method, two spaces and the version.
     * A line within it whose URL is still too long is refused by [urlTooLong]; only a longer one is cut off unread.
     */
    const val MAX_REQUEST_LINE_BYTES: Int = MAX_URL_CHARS + 64

    /**
     * All header lines of a request together. Learn gives no header limit; this is a guess, kept well above anything a
     * client sends (a bearer token is a few KB) so that the emulator never refuses what the service may accept.
     */
    const val MAX_HEADER_BYTES: Int = 64 * 1024

    /** How long a refused connection keeps reading (and discarding) what the client still sends before it is closed. */
    private const val LINGER_SECONDS = 5L

    /**
     * Whether [target] (as on the request line) names a URL over [MAX_URL_CHARS]: an absolute-form target is the URL;
     * an origin-form one is appended to the base URL the client addressed ([baseUrl], from `Host`).
     */
    fun urlTooLong(target: String, baseUrl: String): Boolean =
        if (target.startsWith('/')) baseUrl.length + target.length > MAX_URL_CHARS else target.length > MAX_URL_CHARS

    /** The answer to a URL over the limit. */
    fun uriTooLong(): ApiResponse = ApiResponse.text(414, URI_TOO_LONG_TEXT, TEXT_PLAIN)

    private val URI_TOO_LONG_TEXT =
        "The request URL is longer than the $MAX_URL_CHARS characters the service accepts; send the GET inside \$batch, " +
            "where its URL may be twice as long."
    private val HEADERS_TOO_LARGE_TEXT = "The request's header fields are larger than the $MAX_HEADER_BYTES bytes this emulator accepts."
    private const val TEXT_PLAIN = "text/plain; charset=utf-8"

    /**
     * Answers a request whose head the HTTP decoder gave up on for its length: 414 for the request line, 431 for the
     * headers, then ends the connection, since the rest of the request cannot be told apart from a next one. It reads and
     * discards what the client still sends until the client closes (or [LINGER_SECONDS] pass), after sending FIN: closing
     * with unread bytes would make the kernel reset the connection, and the client might lose the answer. Other requests,
     * also those the decoder refused for other reasons (a 400 from the engine), pass on untouched.
     */
    @ChannelHandler.Sharable
    object OversizedHeads : ChannelInboundHandlerAdapter() {
        override fun channelRead(ctx: ChannelHandlerContext, msg: Any) {
            val cause = (msg as? HttpRequest)?.decoderResult()?.cause()
            val (status, text) = when (cause) {
                is TooLongHttpLineException -> HttpResponseStatus(414, "URI Too Long") to URI_TOO_LONG_TEXT
                is TooLongHttpHeaderException -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE to HEADERS_TOO_LARGE_TEXT
                else -> {
                    ctx.fireChannelRead(msg)
                    return
                }
            }
            ReferenceCountUtil.release(msg)
            val body = text.toByteArray(Charsets.UTF_8)
            val response = DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body))
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.size)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            val channel = ctx.channel()
            ctx.writeAndFlush(response).addListener {
                // The decoder discards whatever follows a refused head, so reading on costs nothing but the bytes.
                channel.config().isAutoRead = true
                (channel as? SocketChannel)?.shutdownOutput() ?: channel.close()
                channel.eventLoop().schedule({ channel.close() }, LINGER_SECONDS, TimeUnit.SECONDS)
            }
        }
    }
}
