package dev.dataverse.internal.transport.cio

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * Reading the server's idle timeout from its `Keep-Alive` response header, as MDN's "Keep-Alive" page
 * (https://developer.mozilla.org/docs/Web/HTTP/Headers/Keep-Alive) describes it: comma-separated `name=value`
 * parameters, `timeout` in whole seconds, `max` a request count; its example is `Keep-Alive: timeout=5, max=1000`. The
 * specification it points to is RFC 9112 Appendix C.2.2 (HTTP/1.0 keep-alive connections).
 */
class Http1KeepAliveHeaderSpec : FunSpec({
    fun limit(vararg values: String) = KeepAlive.idleLimitNanos(values.toList())

    test("MDN's example, timeout=5 with max=1000: kept four seconds (a second's margin)") {
        limit("timeout=5, max=1000") shouldBe 4 * SECOND
    }

    test("timeout=1: kept half a second (the margin is at most half the timeout)") {
        limit("timeout=1") shouldBe SECOND / 2
    }

    test("timeout=0: not kept") {
        limit("timeout=0") shouldBe 0L
    }

    test("names ignore case and spaces, a quoted number is read, and max alone says nothing about time") {
        limit(" Timeout = 30 ") shouldBe 29 * SECOND
        limit("timeout=\"10\"") shouldBe 9 * SECOND
        limit("max=100") shouldBe Long.MAX_VALUE
    }

    test("the smallest timeout of several values or header lines counts") {
        limit("timeout=20", "timeout=3, max=5") shouldBe 2 * SECOND
    }

    test("a malformed or absurd timeout is ignored: the client's own limit applies") {
        limit("timeout=-1") shouldBe Long.MAX_VALUE
        limit("timeout=abc") shouldBe Long.MAX_VALUE
        limit("timeout=") shouldBe Long.MAX_VALUE
        limit("timeout=99999999999999999999") shouldBe Long.MAX_VALUE
        limit("300") shouldBe Long.MAX_VALUE
    }
})

private const val SECOND = 1_000_000_000L
