package dev.dataverse.samples

import dev.dataverse.AlternateKeySpec
import dev.dataverse.Expand
import dev.dataverse.DataverseClient
import dev.dataverse.EntityReference
import dev.dataverse.ListOptions
import dev.dataverse.MatchConditions
import dev.dataverse.NotFoundException
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.where
import kotlinx.coroutines.runBlocking
import java.math.BigDecimal

/**
 * The Kotlin quickstart: create, read, update, upsert by alternate key, list with paging, delete.
 *
 * Runs against an embedded emulator by default. Set `DATAVERSE_URL` (e.g. `https://contoso.crm.dynamics.com`) to run
 * against a real environment, authenticating with `DefaultAzureCredential`, or with the bearer token in
 * `DATAVERSE_TOKEN` when that is set.
 */
fun main(): Unit = runBlocking {
    SampleEnvironment.open().use { environment ->
        println("Connected to ${environment.description}")
        val client = environment.client
        println("Signed in as user ${client.whoAmI().userId}")
        val records = client.records

        // Create: returns the new record's id.
        val contactId = records.create("contact", mapOf("firstname" to "Ada", "lastname" to "Lovelace (sample)"))
        val accountId = records.create(
            "account",
            mapOf(
                "name" to "Contoso (sample)",
                "accountnumber" to "SAMPLE-KT-1",
                "revenue" to BigDecimal("125000.50"),
                "primarycontactid" to EntityReference("contact", contactId),
            ),
        )
        println("Created account $accountId with primary contact $contactId")

        // Get, with the columns you need, an expanded lookup and formatted values.
        val account = records.get(
            "account", accountId,
            RetrieveOptions(select = listOf("name", "revenue"), expand = listOf(Expand("primarycontactid", select = listOf("fullname"))), includeAnnotations = true),
        )
        println("Read back: ${account.getString("name")}, revenue ${account.formattedValue("revenue") ?: account.getDecimal("revenue")}, " +
            "contact ${account.getExpanded("primarycontactid")?.getString("fullname")}")

        // Update: never creates; pass the ETag to update only if nobody changed the record since you read it.
        records.update("account", accountId, mapOf("telephone1" to "+1 555 0100"), MatchConditions.ifMatch(account.etag))

        // Upsert by alternate key: updates the record that has this account number, or creates it. A fresh org has no
        // alternate key: create one on accountnumber (once), and wait until the service has built its index.
        val accountNumberKey = client.tables.keys("account").firstOrNull { it.columns == listOf("accountnumber") }
            ?: client.tables.createKey("account", AlternateKeySpec("new_AccountNumberKey", listOf("accountnumber")))
        client.tables.awaitKey("account", accountNumberKey.schemaName)
        val upserted = records.upsert("account", RecordKey.alternate("accountnumber", "SAMPLE-KT-1"), mapOf("name" to "Contoso Ltd (sample)"))
        println("Upsert by account number hit the same record: ${upserted == accountId}")

        // List with paging: a lazy Flow that fetches 2 records per request while you collect.
        repeat(4) { records.create("account", mapOf("name" to "Fabrikam $it (sample)")) }
        var listed = 0
        val samples = where { "name" contains "(sample)" } // values are escaped for you: quotes, &, #, % and all
        records.list("account", ListOptions(select = listOf("name"), filter = samples, orderBy = listOf("name"), pageSize = 2))
            .collect { listed++; println("  listed: ${it.getString("name")}") }
        println("Listed $listed sample accounts")

        // Delete, then show the typed error for a missing record.
        println("Counted ${client.query.count("account", samples)} sample accounts")
        records.list("account", ListOptions(select = listOf("name"), filter = samples))
            .collect { records.delete("account", it.id!!) }
        records.delete("contact", contactId)
        try {
            records.get("account", accountId)
        } catch (e: NotFoundException) {
            println("Deleted: get now fails with ${e.errorCode} (${e.serviceMessage})")
        }
    }
}
