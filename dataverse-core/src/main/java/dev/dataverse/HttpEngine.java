package dev.dataverse;

/**
 * The HTTP engine under the client: the wire transport at the bottom of the request pipeline (see {@link HttpPolicy} for the
 * stages above it, which are the same for both). Both are configured the same way (timeouts, trust, no redirects).
 */
public enum HttpEngine {
    /**
     * Ktor's coroutine-native CIO engine. Supported and tested, but it costs more per call: Ktor CIO 3.5.2 keeps a
     * connection alive only when pipelining is on, and its pipelining is broken in that version (KTOR-7009), so it opens a
     * new connection for every request; over https each of them pays a full TLS handshake, as Ktor's own TLS has no
     * session resumption. Needs the trust manager of an {@link DataverseClient.Builder#sslContext}.
     */
    CIO,

    /**
     * The JDK's {@code java.net.http.HttpClient}, used directly: pooled keep-alive connections, HTTP/2 negotiated over TLS (ALPN)
     * with HTTP/1.1 fallback, HTTP/1.1 over plain http to loopback. The default.
     */
    JDK;
}
