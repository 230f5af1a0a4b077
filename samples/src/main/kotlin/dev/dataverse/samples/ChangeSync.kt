package dev.dataverse.samples

import dev.dataverse.Change
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DataverseClient
import dev.dataverse.DeltaTokenExpiredException
import dev.dataverse.RecordKey
import dev.dataverse.emulator.DataverseEmulator
import kotlinx.coroutines.runBlocking
import java.util.UUID

/**
 * Keeping a copy of the `account` table in step with change tracking: a full sync, then runs that fetch only what was
 * created, updated or deleted since the delta token the previous run ended with. The "store" of tokens and the mirror
 * are maps here; a real sync keeps both in its own database, updated together after each page.
 *
 * Run with `./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.ChangeSyncKt`.
 */
fun main(): Unit = runBlocking {
    DataverseEmulator.start().use { emulator ->
        DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("emulator")
        }.use { client ->
            val records = client.records
            val ids = records.createMany("account", (1..1200).map { mapOf("name" to "Account $it") }).ids.map { it!! }
            val mirror = HashMap<UUID, String?>()
            var deltaToken: String? = null

            suspend fun sync(label: String) {
                val options = ChangeTrackingOptions(select = listOf("name"), pageSize = 500, deltaToken = deltaToken)
                var applied = 0
                try {
                    records.changes("account", options).pages().collect { page ->
                        for (change in page.changes) {
                            when (change) {
                                is Change.NewOrUpdated -> mirror[change.id] = change.record.getString("name")
                                is Change.Deleted -> mirror.remove(change.id)
                            }
                        }
                        applied += page.changes.size
                        // Persist here, with the page: page.continuationToken mid-run, page.deltaToken on the last page.
                        page.deltaToken?.let { deltaToken = it }
                    }
                } catch (e: DeltaTokenExpiredException) {
                    // The token is older than the service keeps changes: start over with a full sync.
                    mirror.clear()
                    deltaToken = null
                    return sync("$label (full resync)")
                }
                println("$label: applied $applied changes; the mirror has ${mirror.size} accounts")
            }

            sync("full sync")
            records.update("account", ids[0], mapOf("name" to "Renamed"))
            records.deleteMany("account", ids.takeLast(200).map { RecordKey.id(it) })
            records.create("account", mapOf("name" to "Newcomer"))
            sync("delta")
            println("mirror: ${mirror[ids[0]]}; deleted ones gone: ${ids.takeLast(200).none { it in mirror }}")
            sync("nothing changed")
        }
    }
}
