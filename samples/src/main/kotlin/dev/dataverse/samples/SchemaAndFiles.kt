package dev.dataverse.samples

import dev.dataverse.Expand
import dev.dataverse.AlternateKeySpec
import dev.dataverse.ChoiceLabel
import dev.dataverse.ColumnSpec
import dev.dataverse.EntityReference
import dev.dataverse.KeyIndexStatus
import dev.dataverse.ListOptions
import dev.dataverse.ManyToManySpec
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import dev.dataverse.UploadOptions
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import java.security.MessageDigest
import kotlin.random.Random
import kotlin.time.Duration.Companion.minutes

/**
 * Provisioning a schema and moving documents: create a custom table with a choice, a lookup and a file column, write a
 * record using a choice label, add a many-to-many relationship and link records through it, create an alternate key and
 * upsert by it, upload and download a file in chunks, then delete the table.
 *
 * Run with `./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.SchemaAndFilesKt`.
 * Against a real environment, the table `new_sampledocument` is created and deleted again.
 */
fun main(): Unit = runBlocking {
    SampleEnvironment.open().use { environment ->
        val client = environment.client
        println("Connected to ${environment.description}")

        val table = client.tables.create(
            TableSpec(
                schemaName = "new_SampleDocument",
                displayName = "Sample document",
                columns = listOf(
                    ColumnSpec.choice("new_Stage", "Stage", "Draft", "Review", "Final"),
                    ColumnSpec.string("new_Code", "Code", maxLength = 20),
                    ColumnSpec.lookup("new_AccountId", "Account", "account"),
                    ColumnSpec.file("new_Content", "Content", maxSizeInKB = 100 * 1024),
                ),
            ),
        )
        println("Created table ${table.logicalName} (entity set ${table.entitySetName})")
        try {
            val records = client.records
            val accountId = records.create("account", mapOf("name" to "Document owner (sample)"))
            val documentId = records.create(
                table.logicalName,
                mapOf(
                    "new_name" to "Contract",
                    "new_stage" to ChoiceLabel.of("Review"),
                    "new_AccountId" to EntityReference("account", accountId),
                ),
            )
            val document = records.get(table.logicalName, documentId, RetrieveOptions(includeAnnotations = true))
            println("Stage stored as ${document.getInt("new_stage")}, shown as '${document.formattedValue("new_stage")}'")

            // Link contacts to documents through a many-to-many relationship, then read them through $expand.
            val reviewers = "new_sampledocument_contact"
            client.tables.createRelationship(ManyToManySpec(reviewers, table.logicalName, "contact"))
            val contactId = records.create("contact", mapOf("lastname" to "Reviewer (sample)"))
            records.associate(table.logicalName, documentId, reviewers, EntityReference("contact", contactId))
            val linked = records.list(table.logicalName, ListOptions(expand = listOf(Expand(reviewers, select = listOf("lastname"))))).first()
            println("Reviewers: ${linked.getExpandedList(reviewers).map { it.getString("lastname") }}")

            // An alternate key is built in the background: wait for it before upserting by it.
            client.tables.createKey(table.logicalName, AlternateKeySpec("new_CodeKey", listOf("new_code")))
            val key = client.tables.awaitKey(table.logicalName, "new_CodeKey", timeout = 5.minutes)
            records.upsert(table.logicalName, RecordKey.alternate("new_code", "DOC-1"), mapOf("new_name" to "Upserted by code"))
            println("Key ${key.schemaName} is ${key.status}; upsert by code created '${
                records.get(table.logicalName, RecordKey.alternate("new_code", "DOC-1")).getString("new_name")
            }'")
            check(key.status == KeyIndexStatus.ACTIVE)

            // A 12 MB file, uploaded and downloaded in 4 MB chunks.
            val source = Files.createTempFile("sample-contract", ".pdf")
            val target = Files.createTempFile("sample-contract-copy", ".pdf")
            try {
                Files.write(source, Random(42).nextBytes(12 * 1024 * 1024))
                client.files.upload(
                    table.logicalName, documentId, "new_content", source,
                    UploadOptions(onProgress = { println("  uploaded ${it.transferredBytes / 1024 / 1024} MB of ${it.totalBytes!! / 1024 / 1024} MB") }),
                )
                val info = client.files.download(table.logicalName, documentId, "new_content", target)
                println("Downloaded ${info.fileName} (${info.size} bytes, ${info.contentType}); identical: ${sha256(source) == sha256(target)}")
            } finally {
                Files.deleteIfExists(source)
                Files.deleteIfExists(target)
            }
            records.delete("contact", contactId)
            records.delete("account", accountId)
        } finally {
            client.tables.delete(table.logicalName)
            println("Deleted table ${table.logicalName}")
        }
    }
}

private fun sha256(path: java.nio.file.Path): String = MessageDigest.getInstance("SHA-256").let { digest ->
    Files.newInputStream(path).use { input ->
        val buffer = ByteArray(64 * 1024)
        while (true) {
            val read = input.read(buffer)
            if (read < 0) break
            digest.update(buffer, 0, read)
        }
    }
    digest.digest().joinToString("") { "%02x".format(it) }
}
