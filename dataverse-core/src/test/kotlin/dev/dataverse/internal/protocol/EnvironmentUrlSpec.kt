package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class EnvironmentUrlSpec : FunSpec({
    test("https URLs are normalised without trailing slash") {
        EnvironmentUrl.parse("https://contoso.crm.dynamics.com/").value shouldBe "https://contoso.crm.dynamics.com"
        EnvironmentUrl.parse("HTTPS://contoso.crm4.dynamics.com:8443").value shouldBe "https://contoso.crm4.dynamics.com:8443"
    }

    test("plain http is accepted for loopback only") {
        EnvironmentUrl.parse("http://127.0.0.1:8080").value shouldBe "http://127.0.0.1:8080"
        EnvironmentUrl.parse("http://localhost:1").value shouldBe "http://localhost:1"
        EnvironmentUrl.parse("http://[::1]:9000").value shouldBe "http://[::1]:9000"
        shouldThrow<InvalidInputException> { EnvironmentUrl.parse("http://contoso.crm.dynamics.com") }.message shouldContain "must use https"
        shouldThrow<InvalidInputException> { EnvironmentUrl.parse("http://10.0.0.1") }
    }

    context("anything but an environment root is rejected") {
        withData({ s: String -> "'$s'" }, listOf(
            "contoso.crm.dynamics.com", "ftp://contoso.crm.dynamics.com", "https://contoso.crm.dynamics.com/api/data/v9.2",
            "https://contoso.crm.dynamics.com?x=1", "https://user:pw@contoso.crm.dynamics.com", "https://", "not a url", "",
        )) { url: String ->
            shouldThrow<InvalidInputException> { EnvironmentUrl.parse(url) }.message shouldContain "environmentUrl"
        }
    }

    test("same-origin checks compare scheme, host and port") {
        val url = EnvironmentUrl.parse("https://contoso.crm.dynamics.com")
        url.isSameOrigin("https://contoso.crm.dynamics.com/api/data/v9.2/accounts?\$skiptoken=x") shouldBe true
        url.isSameOrigin("https://CONTOSO.crm.dynamics.com:443/api") shouldBe true
        url.isSameOrigin("http://contoso.crm.dynamics.com/api") shouldBe false
        url.isSameOrigin("https://contoso.crm.dynamics.com.evil.example/api") shouldBe false
        url.isSameOrigin("https://contoso.crm.dynamics.com:444/api") shouldBe false
        url.isSameOrigin("https://x@contoso.crm.dynamics.com/api") shouldBe false
    }

    test("port numbers outside 1..65535 are refused, where java.net.URI alone accepts them") {
        for (url in listOf("https://contoso.crm.dynamics.com:65536", "https://contoso.crm.dynamics.com:99999", "http://127.0.0.1:0")) {
            shouldThrow<InvalidInputException> { EnvironmentUrl.parse(url) }.message!! shouldContain "port"
        }
        EnvironmentUrl.parse("https://contoso.crm.dynamics.com:65535").port shouldBe 65535
    }
})
