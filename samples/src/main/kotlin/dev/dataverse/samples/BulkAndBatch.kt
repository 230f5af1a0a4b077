package dev.dataverse.samples

import dev.dataverse.AlternateKeySpec
import dev.dataverse.Filter
import dev.dataverse.BatchOutcome
import dev.dataverse.BulkOptions
import dev.dataverse.ListOptions
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.batch
import dev.dataverse.changeSet
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking

/**
 * Moving many records: bulk create from a lazy flow with progress, bulk upsert by alternate key, an atomic `$batch`
 * change set whose second operation binds to the record the first one creates, and bulk delete.
 *
 * Run with `./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.BulkAndBatchKt`.
 */
fun main(): Unit = runBlocking {
    SampleEnvironment.open().use { environment ->
        val records = environment.client.records
        println("Connected to ${environment.description}")

        // 5,000 accounts from a flow that is read lazily, 1,000 per CreateMultiple request, several requests at once.
        val inputs = (1..5_000).asFlow().map { mapOf("name" to "Bulk %05d (sample)".format(it), "accountnumber" to "BULK-$it") }
        val created = records.createMany(
            "account", inputs,
            BulkOptions(chunkSize = 1_000, onProgress = { println("  created ${it.succeeded} so far") }),
        )
        println("createMany: ${created.succeeded} created, ${created.failures.size} failed; first id ${created.ids.first()}")

        // Upsert by alternate key: updates the last 100 accounts created above, creates 100 new ones. A fresh org has no
        // alternate key: create one on accountnumber (once), and wait until the service has built its index.
        val tables = environment.client.tables
        val accountNumberKey = tables.keys("account").firstOrNull { it.columns == listOf("accountnumber") }
            ?: tables.createKey("account", AlternateKeySpec("new_AccountNumberKey", listOf("accountnumber")))
        tables.awaitKey("account", accountNumberKey.schemaName)
        val changes = (4_901..5_100).map { RecordChange(RecordKey.alternate("accountnumber", "BULK-$it"), mapOf("name" to "Bulk $it (sample, v2)")) }
        println("upsertMany: ${records.upsertMany("account", changes).succeeded} upserted")

        // One atomic change set: the contact binds to the account created just before it in the same request.
        val result = environment.client.batch {
            changeSet {
                val account = create("account", mapOf("name" to "Batch parent (sample)"))
                create("contact", mapOf("lastname" to "Batch child (sample)", "parentcustomerid_account" to account))
            }
        }
        println("batch: ${result.operations.map { it.outcome }} -> ids ${result.operations.map { it.entityId }}")
        check(result.operations.all { it.outcome == BatchOutcome.SUCCEEDED })

        // Clean up: delete every sample record, 1,000 deletes per $batch request.
        val sampleAccounts = records.list("account", ListOptions(select = listOf("name"), filter = Filter.contains("name", "(sample")))
            .map { RecordKey.id(it.id!!) }.toList()
        val sampleContacts = records.list("contact", ListOptions(select = listOf("lastname"), filter = Filter.contains("lastname", "(sample)")))
            .map { RecordKey.id(it.id!!) }.toList()
        println("deleteMany: ${records.deleteMany("account", sampleAccounts).succeeded} accounts, " +
            "${records.deleteMany("contact", sampleContacts).succeeded} contacts deleted")
    }
}
