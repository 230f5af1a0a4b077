package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe

class AlternateKeySpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    fun keyPath(value: String) = "accounts(accountnumber='${TestClient.encode(value.replace("'", "''"))}')"

    context("alternate key values round-trip through upsert, get, filter and delete") {
        withData(
            nameFn = { "value [$it]" },
            "O'Neil", "A/B", "what?", "C#1", "100%", "a&b", "1+1", "sp ace", "Zürich-東京", "x''y", "(paren)", "a,b=c",
        ) { value ->
            client.patch(keyPath(value), """{"name":${TestClient.quote("Key $value")}}""").status shouldBe 204
            val read = client.get("${keyPath(value)}?\$select=accountnumber,name")
            read.status shouldBe 200
            read.json.text("accountnumber") shouldBe value
            read.json.text("name") shouldBe "Key $value"
            val filter = TestClient.encode("accountnumber eq '${value.replace("'", "''")}'")
            client.get("accounts?\$select=accountnumber&\$filter=$filter").values.map { it.text("accountnumber") } shouldBe listOf(value)
            client.delete(keyPath(value)).status shouldBe 204
            client.get(keyPath(value)).status shouldBe 404
        }
    }

    test("a raw (unencoded) quote-doubled key is parsed too") {
        client.patch("accounts(accountnumber='O''Brien')", """{"name":"Raw"}""").status shouldBe 204
        client.get("accounts(accountnumber='O''Brien')?\$select=accountnumber").json.text("accountnumber") shouldBe "O'Brien"
    }

    test("alternate-key lookups are case-insensitive like the service's collation") {
        client.patch(keyPath("MiXeD"), """{"name":"Case"}""").status shouldBe 204
        client.get("${keyPath("mixed")}?\$select=accountnumber").json.text("accountnumber") shouldBe "MiXeD"
    }

    test("a key name that is not an alternate key is invalid; a missing key record is a 404 on update") {
        client.get("accounts(telephone1='1')").status shouldBe 400
        val missing = client.patch(keyPath("absent"), """{"name":"x"}""", mapOf("If-Match" to "*"))
        missing.status shouldBe 404
        missing.errorCode shouldBe "0x80060891" // Learn: web-service-error-codes, RecordNotFoundByEntityKey
    }

    test("a key value that conflicts with the body is rejected when creating") {
        val response = client.patch(keyPath("K-1"), """{"accountnumber":"K-2"}""")
        response.status shouldBe 400
        response.errorCode shouldBe "0x80040203"
        client.get(keyPath("K-1")).status shouldBe 404
    }
})
