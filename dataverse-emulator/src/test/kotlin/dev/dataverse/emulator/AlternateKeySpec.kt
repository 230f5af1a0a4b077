package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe

class AlternateKeySpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
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

    test("Learn, Use Upsert to Create or Update a record: a body's key values create the record, and never change it") {
        // "If the record doesn't exist: The server uses any alternate key values set in the body of the request to create
        // the new record, even if the data is different than the values specified by the alternate keys in the URL."
        client.patch(keyPath("K-1"), """{"name":"created","accountnumber":"K-2"}""").status shouldBe 204
        client.get(keyPath("K-1")).status shouldBe 404
        client.get("${keyPath("K-2")}?\$select=name").json.text("name") shouldBe "created"
        // "If the record exists: The server removes the data set in the body of the request for those alternate key
        // values in the URL."
        client.patch(keyPath("K-2"), """{"name":"updated","accountnumber":"K-3"}""").status shouldBe 204
        client.get("${keyPath("K-2")}?\$select=name").json.text("name") shouldBe "updated"
        client.get(keyPath("K-3")).status shouldBe 404
    }

    test("Learn, Use Upsert to Create or Update a record: OData-EntityId names the record by the key the write used") {
        val created = client.patch(keyPath("Id 1/é"), """{"name":"x"}""")
        created.status shouldBe 204
        val header = created.headers["OData-EntityId"]!!
        header shouldBe "${emulator.apiUrl}/accounts(accountnumber='Id%201%2F%C3%A9')"
        client.patch(keyPath("Id 1/é"), """{"name":"y"}""", mapOf("If-Match" to "*")).headers["OData-EntityId"] shouldBe header
        // The header is a URL of the record.
        client.get("$header?\$select=name").json.text("name") shouldBe "y"
        // By primary id, the record is named by its id.
        val id = client.get("${keyPath("Id 1/é")}?\$select=accountid").json.text("accountid")
        client.patch("accounts($id)", """{"name":"z"}""").headers["OData-EntityId"] shouldBe "${emulator.apiUrl}/accounts($id)"
    }
})
