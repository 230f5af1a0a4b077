package dev.dataverse

/**
 * The HTTP engine under the client. Both are configured the same way (pool size, timeouts, no redirects); they differ in
 * implementation, and the benchmarks module measures them side by side (see the README's Performance section).
 */
public enum class HttpEngine {
    /** Ktor's coroutine-native CIO engine: no thread per connection, pipelining-free keep-alive pool. The default. */
    CIO,

    /** Ktor's engine over the JDK's `java.net.http.HttpClient` (HTTP/1.1 and HTTP/2). */
    JDK,
}
