package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain

class ConnectorOptionsSpec : FunSpec({
    val base = mapOf("url" to "https://contoso.crm.dynamics.com/", "token" to "t0", "table" to "Account")

    test("defaults: one user, budget 52 per user, pages of 5000, create, fail fast") {
        val options = ConnectorOptions.parse(base)
        options.connection.url shouldBe "https://contoso.crm.dynamics.com"
        options.table shouldBe "account"
        options.connection.credentials.users shouldBe 1
        options.maxConcurrency shouldBe 52
        options.pageSize shouldBe 5000
        options.operation shouldBe Operation.CREATE
        options.continueOnError shouldBe false
        options.partitions shouldBe null
    }

    test("names are case-insensitive; several users multiply the default budget") {
        val options = ConnectorOptions.parse(
            mapOf("URL" to "https://x.crm.dynamics.com", "TABLE" to "contact", "clientid" to "a, b ,c", "ClientSecret" to "s1,s2,s3", "tenantID" to "t"),
        )
        val credentials = options.connection.credentials as Credentials.ClientSecrets
        credentials.clientIds shouldBe listOf("a", "b", "c")
        options.maxConcurrency shouldBe 156
        credentials.toString() shouldNotContain "s1"
    }

    test("every bad option is refused with its name before anything is sent") {
        fun refused(extra: Map<String, String>, without: String? = null) =
            shouldThrow<InvalidInputException> { ConnectorOptions.parse(base - setOfNotNull(without) + extra) }.message!!
        refused(emptyMap(), without = "url") shouldContain "'url'"
        refused(emptyMap(), without = "token") shouldContain "Exactly one of"
        refused(mapOf("clientId" to "a", "clientSecret" to "s", "tenantId" to "t")) shouldContain "found token and clientId"
        refused(mapOf("pageSize" to "0")) shouldContain "'pageSize' option must be between 1 and 5000"
        refused(mapOf("partitions" to "many")) shouldContain "'partitions' option must be a whole number"
        refused(mapOf("operation" to "merge")) shouldContain "create, upsert, update or delete"
        refused(mapOf("alternateKey" to "accountnumber")) shouldContain "upsert, update or delete"
        refused(mapOf("onError" to "continue")) shouldContain "failuresPath"
        refused(mapOf("failuresPath" to "/tmp/x")) shouldContain "onError=continue"
        refused(mapOf("lowerBound" to "1")) shouldContain "partitionColumn"
        refused(mapOf("partitionColumn" to "createdon", "lowerBound" to "1")) shouldContain "'upperBound'"
        refused(mapOf("table" to "account; drop")) shouldContain "logical name"
        refused(mapOf("select" to "name,bad column")) shouldContain "bad column"
        refused(mapOf("choiceLabels" to "yes")) shouldContain "true or false"
        shouldThrow<InvalidInputException> {
            ConnectorOptions.parse(base - "token" + mapOf("clientId" to "a,b", "clientSecret" to "s1", "tenantId" to "t"))
        }.message shouldContain "one secret per client id (2), but holds 1"
    }

    test("a token provider serves the number of users asked for, and does not see the secrets") {
        val options = ConnectorOptions.parse(base - "token" + mapOf("tokenProvider" to "com.example.Tokens", "users" to "3", "filter" to "statecode eq 0"))
        val provider = options.connection.credentials as Credentials.Provider
        provider.users shouldBe 3
        provider.options["filter"] shouldBe "statecode eq 0"
        options.maxConcurrency shouldBe 156
    }
})
