package dev.dataverse;

/**
 * The HTTP engine under the client: the wire transport at the bottom of the request pipeline (see {@link HttpPolicy} for the
 * stages above it, which are the same for both). Both are configured the same way (timeouts, trust, no redirects).
 */
public enum HttpEngine {
    /**
     * Ktor's coroutine-native I/O: HTTP/1.1 spoken by the client over Ktor's coroutine sockets and TLS, with pooled
     * keep-alive connections of its own (one exchange at a time per connection). Not Ktor's CIO client engine, which on
     * the Ktor versions supported opens a new connection for every request (its keep-alive needs pipelining, which closes
     * the connection after each request: KTOR-7009). No HTTP/2. Over https it needs the trust manager of an
     * {@link DataverseClient.Builder#sslContext}, as Ktor's TLS takes a trust manager, not a context.
     */
    CIO,

    /**
     * The JDK's {@code java.net.http.HttpClient}, used directly: pooled keep-alive connections, HTTP/2 negotiated over TLS (ALPN)
     * with HTTP/1.1 fallback, HTTP/1.1 over plain http to loopback. The default.
     */
    JDK;
}
