package dev.dataverse.internal.transport.cio

/**
 * How long a server says it keeps an idle connection: the `timeout` parameter of its `Keep-Alive` response header.
 *
 * MDN ("Keep-Alive" header, https://developer.mozilla.org/docs/Web/HTTP/Headers/Keep-Alive): a comma-separated list of
 * `name=value` parameters; `timeout` is "an integer that is the time in seconds that the host will allow an idle
 * connection to remain open before it is closed", and `max` a request count that is ignored for connections that are
 * not pipelined (this client never pipelines). The header is an HTTP/1.0 compatibility device: RFC 9112 Appendix C.2.2
 * ("Keep-Alive Connections") describes it, and it is forbidden in HTTP/2 and HTTP/3, which this transport never speaks.
 *
 * MDN adds that the header takes effect with `Connection: keep-alive`. It is honoured here without that token too:
 * keeping a connection for less time than the default can only cost a new connection, while ignoring a server that
 * says it closes sooner would send requests on connections it is closing (a GET is sent again, a POST fails).
 */
internal object KeepAlive {
    /** Longest timeout read, in seconds (over 31 years): anything longer is kept to the client's own limit anyway. */
    private const val MAX_SECONDS = 999_999_999L

    private const val NANOS_PER_SECOND = 1_000_000_000L

    /**
     * How long a connection may be kept idle after a response whose `Keep-Alive` header values are [values]: the
     * smallest `timeout` less a margin, or [Long.MAX_VALUE] when no value has a valid `timeout` (the client's own
     * limit applies). `timeout=0` gives 0: the connection is not kept.
     *
     * The margin, a second or half the timeout when that is shorter, is for the time between the server's clock
     * starting (when it sent the last byte) and the next request reaching it: the response's and the request's trips
     * across the network. A timeout of one second thus keeps a connection for half a second.
     */
    fun idleLimitNanos(values: List<String>): Long {
        var seconds = Long.MAX_VALUE
        for (value in values) {
            for (parameter in value.split(',')) {
                val name = parameter.substringBefore('=', "").trim()
                if (!name.equals("timeout", ignoreCase = true)) continue
                val number = parameter.substringAfter('=').trim().removeSurrounding("\"")
                if (number.isEmpty() || number.length > 9 || !number.all { it in '0'..'9' }) continue
                seconds = minOf(seconds, number.toLong())
            }
        }
        if (seconds > MAX_SECONDS) return Long.MAX_VALUE
        val timeout = seconds * NANOS_PER_SECOND
        return timeout - minOf(NANOS_PER_SECOND, timeout / 2)
    }
}
